#include "core/news.hpp"

#include "core/fold.hpp"
#include "core/notice.hpp"
#include "core/validation.hpp"

namespace passerelle::core::news {

std::string slugify(std::string_view title) {
    const std::string folded = fold(title);
    std::string out;
    bool hyphen = false;
    for (char ch : folded) {
        const bool word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (word) {
            if (hyphen && !out.empty()) out += '-';
            hyphen = false;
            if (out.size() >= 80) break;
            out += ch;
        } else {
            hyphen = true;
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "article" : out;
}

Result<std::vector<std::string>> parse_tags(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&]() -> Status {
        const std::string t = trim(current);
        current.clear();
        if (t.empty()) return {};
        if (utf8_length(t) > 40) return Error::Invalid("Un mot-clé compte au plus 40 caractères : « " + t + " ».");
        const std::string tag = slugify(t);
        for (const auto& seen : out)
            if (seen == tag) return {};
        out.push_back(tag);
        return {};
    };
    for (char ch : text) {
        if (ch == ',' || ch == ';' || ch == '\n') {
            if (auto s = flush(); !s) return s.error();
        } else {
            current += ch;
        }
    }
    if (auto s = flush(); !s) return s.error();
    if (out.size() > kMaxTags) return Error::Invalid("Au plus " + std::to_string(kMaxTags) + " mots-clés par article.");
    return out;
}

Result<Article> validate_article(const ArticleInput& in, bool has_cover) {
    core::FieldErrors errors;
    Article a;
    a.title = trim(in.title);
    a.summary = trim(in.summary);
    a.body = in.body;
    a.cover_alt = trim(in.cover_alt);
    if (a.title.empty())
        errors["title"] = "Donnez un titre à l'article.";
    else if (utf8_length(a.title) > 200 || !is_clean_line(a.title))
        errors["title"] = "Le titre compte au plus 200 caractères, sans caractère de contrôle.";
    if (utf8_length(a.summary) > 400 || !is_clean_text(a.summary))
        errors["summary"] = "Le chapeau compte au plus 400 caractères.";
    if (trim(a.body).empty())
        errors["body"] = "Écrivez le texte de l'article.";
    else if (utf8_length(a.body) > 100000 || !is_clean_text(a.body))
        errors["body"] = "Le texte compte au plus 100 000 caractères, en UTF-8 sans caractère de contrôle.";
    if (auto tags = parse_tags(in.tags))
        a.tags = std::move(tags.value());
    else
        errors["tags"] = tags.error().message;
    if (!trim(in.publish_at).empty()) {
        a.publish_at = parse_paris_datetime(trim(in.publish_at));
        if (!a.publish_at) errors["publish_at"] = "Indiquez la date de publication sous la forme jj/mm/aaaa hh:mm.";
    }
    if (!trim(in.event_id).empty()) {
        auto id = parse_int(trim(in.event_id));
        if (!id || *id <= 0)
            errors["event_id"] = "Choisissez un événement de la liste.";
        else
            a.event_id = *id;
    }
    if (has_cover && a.cover_alt.empty())
        errors["cover_alt"] = "Décrivez l'image en quelques mots (texte alternatif, pour les lecteurs d'écran).";
    else if (utf8_length(a.cover_alt) > 200)
        errors["cover_alt"] = "Le texte alternatif compte au plus 200 caractères.";
    if (!errors.empty()) return Error::Invalid("L'article contient des erreurs.", std::move(errors));
    return a;
}

Visibility visibility(bool published, std::optional<std::int64_t> publish_at, std::int64_t now) {
    if (!published) return Visibility::kDraft;
    if (publish_at && *publish_at > now) return Visibility::kScheduled;
    return Visibility::kPublished;
}

std::string visibility_label(Visibility v) {
    switch (v) {
        case Visibility::kDraft:
            return "brouillon";
        case Visibility::kScheduled:
            return "programmé";
        case Visibility::kPublished:
            return "publié";
    }
    return "";
}

}  // namespace passerelle::core::news
