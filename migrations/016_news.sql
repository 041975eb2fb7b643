-- News articles (actualités) written by organisers in Markdown. An article is visible to the public once
-- published and its publication time (publish_at) has come: a later time schedules it. The cover image is
-- kept in the blob store by the SHA-256 of its bytes.
CREATE TABLE news_articles (
    id {{id}},
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    publish_at BIGINT,
    event_id BIGINT REFERENCES events(id) ON DELETE SET NULL,
    cover_sha256 TEXT,
    cover_type TEXT NOT NULL DEFAULT '',
    cover_width INTEGER NOT NULL DEFAULT 0,
    cover_height INTEGER NOT NULL DEFAULT 0,
    cover_alt TEXT NOT NULL DEFAULT '',
    author_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX news_articles_public ON news_articles (published, publish_at);

CREATE TABLE news_tags (
    article_id BIGINT NOT NULL REFERENCES news_articles(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX news_tags_tag ON news_tags (tag);
