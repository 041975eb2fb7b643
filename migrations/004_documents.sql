-- Tender documents (DCE): files stored on disk by the SHA-256 of their content, and who downloaded them.

CREATE TABLE notice_documents (
    id {{id}},
    notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX notice_documents_notice ON notice_documents (notice_id);

CREATE TABLE document_downloads (
    id {{id}},
    document_id BIGINT NOT NULL REFERENCES notice_documents(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at BIGINT NOT NULL
);
CREATE INDEX document_downloads_document ON document_downloads (document_id, at);
