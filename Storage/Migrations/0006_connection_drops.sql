-- Each time the mail server dropped a connection the worker had open (during IDLE, a FETCH or a login): status and the
-- digest count them and show the last one, and a storm of them is a warning. Rows older than a week are pruned.
CREATE TABLE connection_drops (
    id          INTEGER PRIMARY KEY,
    component   TEXT NOT NULL,      -- intake
    at          TEXT NOT NULL,
    error       TEXT NOT NULL
);
CREATE INDEX connection_drops_component_at ON connection_drops (component, at);
