// The news over the service: drafts stay private, scheduled articles appear at their time, tags filter,
// slugs stay unique, covers are checked by content, and only organisers write.
#include "app/news.hpp"

#include <unistd.h>

#include <filesystem>

#include "app/office_formats.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"
#include "storage/accounts_store.hpp"

namespace passerelle::app {
namespace {

class NewsTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2027, 1, 10, 9, 0));
        dir_ = std::filesystem::temp_directory_path() / ("passerelle-news-" + std::to_string(::getpid()));
        blobs_ = std::make_unique<FileBlobStore>(dir_);
        news_ = std::make_unique<NewsService>(*db_, clock_, *blobs_);
        organiser_ = signup("orga@gip.fr");
        ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                           return storage::accounts::grant_role(c, organiser_, "organiser", 1);
                       })
                        .ok());
        visitor_ = signup("lecteur@exemple.fr");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    ArticleChange change(const std::string& title, const std::string& tags, bool publish,
                         const std::string& publish_at = "") {
        ArticleChange c;
        c.input.title = title;
        c.input.summary = "Chapeau";
        c.input.body = "Texte de **l'article**.";
        c.input.tags = tags;
        c.input.publish_at = publish_at;
        c.publish = publish;
        return c;
    }
    std::filesystem::path dir_;
    std::unique_ptr<FileBlobStore> blobs_;
    std::unique_ptr<NewsService> news_;
    std::int64_t organiser_ = 0, visitor_ = 0;
};

TEST_F(NewsTest, DraftsScheduledAndPublishedArticles) {
    const core::Actor anyone;
    auto draft = news_->create(actor(organiser_), change("Brouillon", "", false));
    ASSERT_TRUE(draft.ok()) << draft.error().message;
    auto now = news_->create(actor(organiser_), change("Clauses sociales : le bilan 2026", "Clauses, SIAE", true));
    ASSERT_TRUE(now.ok()) << now.error().message;
    auto later = news_->create(actor(organiser_),
                               change("Matinale de mars", "Événements", true, "2027-01-12T08:00"));  // 07:00 UTC
    ASSERT_TRUE(later.ok());

    auto list = news_->list("", {1, 20});
    ASSERT_TRUE(list.ok()) << list.error().message;
    ASSERT_EQ(list->total, 1);
    EXPECT_EQ(list->items[0].slug, "clauses-sociales-le-bilan-2026");
    EXPECT_EQ(list->items[0].tags, (std::vector<std::string>{"clauses", "siae"}));
    // Drafts and scheduled articles are hidden from the public, shown to organisers (preview).
    EXPECT_EQ(news_->article(anyone, "brouillon").error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(news_->article(actor(visitor_), "matinale-de-mars").error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(news_->article(actor(organiser_), "matinale-de-mars").ok());

    clock_.set(core::from_utc(2027, 1, 12, 7, 0));
    list = news_->list("", {1, 20});
    ASSERT_EQ(list->total, 2);
    EXPECT_EQ(list->items[0].slug, "matinale-de-mars");  // newest publication first
    auto tagged = news_->list("siae", {1, 20});
    ASSERT_EQ(tagged->total, 1);
    EXPECT_EQ(tagged->items[0].slug, "clauses-sociales-le-bilan-2026");
    ASSERT_FALSE(list->tags.empty());

    // Unpublishing hides it again; the sitemap lists only public articles.
    ASSERT_TRUE(news_->unpublish(actor(organiser_), now.value()).ok());
    EXPECT_EQ(news_->list("", {1, 20})->total, 1);
    auto pages = news_->public_pages();
    ASSERT_TRUE(pages.ok());
    int articles = 0;
    for (const auto& p : pages.value())
        if (p.kind == "news") {
            ++articles;
            EXPECT_EQ(p.key, "matinale-de-mars");
        }
    EXPECT_EQ(articles, 1);
}

TEST_F(NewsTest, OnlyOrganisersWriteAndBadInputChangesNothing) {
    EXPECT_EQ(news_->create(actor(visitor_), change("Titre", "", true)).error().code, core::ErrorCode::kForbidden);
    auto bad = change("", "a,b,c,d,e,f,g,h,i", true, "bientôt");
    bad.input.body = " ";
    auto r = news_->create(actor(organiser_), bad);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().fields.count("title"));
    EXPECT_TRUE(r.error().fields.count("body"));
    EXPECT_TRUE(r.error().fields.count("tags"));
    EXPECT_TRUE(r.error().fields.count("publish_at"));
    auto unknown_event = change("Titre", "", true);
    unknown_event.input.event_id = "999";
    EXPECT_TRUE(news_->create(actor(organiser_), unknown_event).error().fields.count("event_id"));
    // Not an image, even when named like one.
    auto svg = change("Avec image", "", true);
    const std::string script = "<svg onload=alert(1)></svg>";
    svg.cover = Upload{"photo.png", script};
    svg.input.cover_alt = "Une photo";
    EXPECT_TRUE(news_->create(actor(organiser_), svg).error().fields.count("cover"));
    EXPECT_EQ(news_->all(actor(organiser_))->size(), 0u);
}

TEST_F(NewsTest, SlugsStayUniqueAndCoversAreKept) {
    auto png = qr_png("couverture", 4).value();
    auto first = change("Même titre", "", true);
    first.cover = Upload{"a.png", png};
    first.input.cover_alt = "Un code QR";
    auto a = news_->create(actor(organiser_), first);
    ASSERT_TRUE(a.ok()) << a.error().message;
    auto b = news_->create(actor(organiser_), change("Même titre", "", true));
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(news_->for_editing(actor(organiser_), b.value())->slug, "meme-titre-2");
    auto cover = news_->cover(core::Actor{}, "meme-titre");
    ASSERT_TRUE(cover.ok());
    EXPECT_EQ(cover->content_type, "image/png");
    EXPECT_EQ(cover->bytes, png);
    // A cover needs its text alternative; removing the cover drops it.
    auto edit = change("Même titre", "", false);
    edit.remove_cover = true;
    ASSERT_TRUE(news_->update(actor(organiser_), a.value(), edit).ok());
    EXPECT_EQ(news_->cover(core::Actor{}, "meme-titre").error().code, core::ErrorCode::kNotFound);
    // Still published: saving without "publish" keeps an article public.
    EXPECT_EQ(news_->list("", {1, 20})->total, 2);
}

}  // namespace
}  // namespace passerelle::app
