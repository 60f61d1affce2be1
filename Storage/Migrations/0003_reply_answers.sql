-- Per-item answers read from a returned form (處理情形與說明), as JSON [{"item":1,"text":"…"}].
ALTER TABLE replies ADD COLUMN answers TEXT;
