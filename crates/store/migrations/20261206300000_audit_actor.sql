-- Who acted, beside the OS account in `actor`: the TeamViewer account the agent was signed in
-- with, as TeamViewer answered `GET /account` for the token the command held. NULL when no
-- sign-in could be verified (the OS account alone, unverified).
ALTER TABLE audit_events ADD COLUMN actor_account_id TEXT;
ALTER TABLE audit_events ADD COLUMN actor_account_name TEXT;
