-- Files sent with a queued e-mail (a check-in QR code, an agenda as iCalendar), kept in base64 as MIME
-- carries them; removed with their e-mail.
CREATE TABLE mail_attachments (
    id {{id}},
    mail_id BIGINT NOT NULL REFERENCES mail_outbox(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content_base64 TEXT NOT NULL
);
CREATE INDEX mail_attachments_mail ON mail_attachments (mail_id);
