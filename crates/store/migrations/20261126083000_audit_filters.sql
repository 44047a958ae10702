-- The audit view filters by agent and by action, newest first, and lists both for its choices.
CREATE INDEX audit_events_actor ON audit_events (actor, at);
CREATE INDEX audit_events_action ON audit_events (action, at);
