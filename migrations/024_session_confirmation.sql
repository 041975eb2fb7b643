-- When the person last proved who they are in this session (login, or their password typed again): creating an
-- API token or changing a platform role needs it to be recent.
ALTER TABLE sessions ADD COLUMN confirmed_at BIGINT;
