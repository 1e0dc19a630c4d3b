-- Tasks created at the same instant are listed highest id first, the order the desktop's replica
-- uses too (authdesk_contract::list_order); insertion order (`seq`) is no longer part of it.
DROP INDEX IF EXISTS tasks_user_newest;
CREATE INDEX IF NOT EXISTS tasks_user_newest ON tasks (user_id, created_at DESC, id DESC);
