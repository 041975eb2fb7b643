#include "app/notices.hpp"

#include <algorithm>
#include <set>

#include "app/csv.hpp"
#include "app/organisations.hpp"
#include "core/document.hpp"
#include "core/fold.hpp"
#include "core/french.hpp"
#include "core/procurement.hpp"
#include "core/validation.hpp"
#include "storage/contract_store.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"
#include "storage/roadmap_store.hpp"
#include "storage/search_outbox_store.hpp"

namespace passerelle::app {

namespace nt = storage::notices;
using core::Error;
using storage::Connection;
using storage::fetch;

namespace {

const char* kNotFound = "Cette consultation n'existe pas ou n'est pas publiée.";
const char* kSignature = "\n\n-- \nPasserelle, la plateforme qui rapproche acheteurs publics et entreprises.\n";

void apply(nt::NoticeRecord& r, const core::NoticeData& d) {
    r.reference = d.reference;
    r.title = d.title;
    r.description = d.description;
    r.search_text = core::fold(d.reference + " " + d.title + " " + d.description);
    r.procedure = d.procedure;
    r.bid_deadline = d.bid_deadline;
    r.question_deadline = d.question_deadline;
    r.lots.clear();
    for (const auto& l : d.lots) {
        r.lots.push_back(
            {l.number, l.title, l.cpv_code, l.estimated_amount, l.clause_kind, l.insertion_hours, l.departements});
        r.search_text += " " + core::fold(l.title);
    }
}

// "Attribuée" -> "attribuée" (the labels start with an ASCII capital).
std::string lower_first(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

std::string conflict_message(const Error& e) {
    return e.code == core::ErrorCode::kConflict ? "Votre organisation a déjà une consultation avec cette référence."
                                                : e.message;
}

}  // namespace

core::NoticeData notice_data_of(const nt::NoticeRecord& n) {
    core::NoticeData d;
    d.reference = n.reference;
    d.title = n.title;
    d.description = n.description;
    d.procedure = n.procedure;
    d.bid_deadline = n.bid_deadline;
    d.question_deadline = n.question_deadline;
    for (const auto& l : n.lots)
        d.lots.push_back(
            {l.number, l.title, l.cpv_code, l.estimated_amount, l.departements, l.clause_kind, l.insertion_hours});
    return d;
}

Result<core::NoticeData> NoticeService::validate(const core::NoticeInput& in, bool for_publication) {
    auto data = core::validate_notice(in, clock_.now(), for_publication);
    core::FieldErrors fields;
    if (!data) fields = data.error().fields;
    for (std::size_t i = 0; i < in.lots.size(); ++i) {
        const std::string key = "lots." + std::to_string(i + 1) + ".";
        if (!fields.count(key + "cpv_code")) {
            auto problem = reference_.check_cpv_codes({in.lots[i].cpv_code});
            if (!problem) return problem.error();
            if (!problem->empty()) fields[key + "cpv_code"] = "Lot " + std::to_string(i + 1) + " : " + *problem;
        }
        if (!fields.count(key + "departements")) {
            auto unknown = reference_.first_unknown_departement(in.lots[i].departements);
            if (!unknown) return unknown.error();
            if (!unknown->empty())
                fields[key + "departements"] =
                    "Lot " + std::to_string(i + 1) + " : le département " + *unknown + " n'existe pas.";
        }
    }
    // The reference checks come after the core's: the summary follows the form, lot by lot.
    std::vector<std::string> order = {"reference",         "title", "description", "procedure", "bid_deadline",
                                      "question_deadline", "lots"};
    for (std::size_t i = 1; i <= in.lots.size(); ++i)
        for (const char* f :
             {"title", "cpv_code", "estimated_amount", "departements", "clause_kind", "insertion_hours"})
            order.push_back("lots." + std::to_string(i) + "." + f);
    fields.order_as(order);
    if (!fields.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(fields));
    return data;
}

Status NoticeService::authorise(const core::Actor& actor, const nt::NoticeRecord& n) {
    return policy_status(actor, procurement_action(n.status), {n.org_id, core::OrgKind::kBuyer});
}

bool NoticeService::can_edit(const core::Actor& actor, const nt::NoticeRecord& n) const {
    return core::allowed(actor, procurement_action(n.status), {n.org_id, core::OrgKind::kBuyer});
}

core::NoticeStatus NoticeService::effective_status(const nt::NoticeRecord& n) const {
    return core::effective_notice_status(core::parse_notice_status(n.status).value_or(core::NoticeStatus::kDraft),
                                         n.bid_deadline, clock_.now());
}

bool NoticeService::questions_open(const nt::NoticeRecord& n) const {
    return effective_status(n) == core::NoticeStatus::kPublished && clock_.now() < n.question_deadline;
}

Status NoticeService::tell_followers(Connection& c, const nt::NoticeRecord& n, const std::string& subject,
                                     const std::string& body, const std::string& skip_email) {
    auto emails = nt::follower_emails(c, n.id);
    if (!emails) return emails.error();
    for (const auto& e : emails.value()) {
        if (e == skip_email) continue;
        auto q = storage::outbox::enqueue(c, e, subject, body, clock_.now());
        if (!q) return q.error();
    }
    return {};
}

Result<std::int64_t> NoticeService::create(const core::Actor& actor, std::int64_t org_id, const core::NoticeInput& in,
                                           std::optional<std::int64_t> roadmap_item_id) {
    if (auto s = policy_status(actor, core::Action::kPrepareProcurement, {org_id, core::OrgKind::kBuyer}); !s)
        return s.error();
    auto data = validate(in, false);
    if (!data) return data.error();
    if (roadmap_item_id) {
        auto item = fetch<std::optional<storage::roadmaps::ItemRecord>>(
            db_, [&](Connection& c) { return storage::roadmaps::find_item(c, *roadmap_item_id); });
        if (!item) return item.error();
        if (!item.value() || item.value()->org_id != org_id)
            return Error::Invalid("Le projet d'achat d'origine n'appartient pas à cette organisation.");
    }
    const std::int64_t now = clock_.now();
    nt::NoticeRecord r;
    r.org_id = org_id;
    r.roadmap_item_id = roadmap_item_id;
    r.status = "draft";
    apply(r, data.value());
    r.created_by = actor.user_id;
    r.created_at = r.updated_at = now;
    std::int64_t new_id = 0;
    Status created = db_.transaction([&](Connection& c) -> Status {
        auto inserted = nt::insert_notice(c, r);
        if (!inserted) return inserted.error();
        new_id = inserted.value();
        return storage::search_outbox::enqueue(c, "notice", new_id, now);
    });
    Result<std::int64_t> id = created ? Result<std::int64_t>(new_id) : Result<std::int64_t>(created.error());
    if (!id && id.error().code == core::ErrorCode::kConflict)
        return Error::Conflict("Le formulaire contient des erreurs.", {{"reference", conflict_message(id.error())}});
    return id;
}

Status NoticeService::update(const core::Actor& actor, std::int64_t notice_id, const core::NoticeInput& in) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (auto s = authorise(actor, n.value()); !s) return s;
    auto status = effective_status(n.value());
    if (status != core::NoticeStatus::kDraft && status != core::NoticeStatus::kPublished)
        return Error::Conflict("Cette consultation est close : elle ne peut plus être modifiée.");
    const bool published = status == core::NoticeStatus::kPublished;
    auto data = validate(in, published);
    if (!data) return data.error();
    auto changes = core::notice_changes(notice_data_of(n.value()), data.value());
    if (changes.empty()) return {};
    nt::NoticeRecord r = n.value();
    apply(r, data.value());
    r.updated_at = clock_.now();
    Status st = db_.transaction([&](Connection& c) -> Status {
        if (auto s = nt::update_notice(c, r); !s) return s;
        if (auto s = storage::search_outbox::enqueue(c, "notice", notice_id, r.updated_at); !s) return s;
        if (!published) return {};
        std::string summary;
        for (const auto& ch : changes) summary += (summary.empty() ? "" : " ; ") + ch;
        if (auto s =
                nt::add_history(c, notice_id, r.updated_at, actor.user_id, "amendment", "Rectificatif : " + summary);
            !s)
            return s;
        std::string body =
            "Bonjour,\n\nLa consultation « " + r.title + " » (" + r.org_name + ") que vous suivez a été modifiée :\n\n";
        for (const auto& ch : changes) body += "- " + ch + "\n";
        body += "\n" + base_url_ + "/consultations/" + std::to_string(notice_id) + kSignature;
        return tell_followers(c, r, "Rectificatif : " + r.title, body);
    });
    if (!st && st.error().code == core::ErrorCode::kConflict)
        return Error::Conflict("Le formulaire contient des erreurs.", {{"reference", conflict_message(st.error())}});
    return st;
}

Status NoticeService::publish(const core::Actor& actor, std::int64_t notice_id) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (auto s = authorise(actor, n.value()); !s) return s;
    if (n->status != "draft") return Error::Conflict("Seul un brouillon peut être publié.");
    if (auto s = policy_status(actor, core::Action::kPublishProcurement, {n->org_id, core::OrgKind::kBuyer}); !s)
        return s;
    // Publishing checks what a draft may skip: deadlines in the future.
    auto check = core::validate_notice(core::NoticeInput{n->reference,
                                                         n->title,
                                                         n->description,
                                                         n->procedure,
                                                         core::format_paris_datetime_local(n->bid_deadline),
                                                         core::format_paris_datetime_local(n->question_deadline),
                                                         {}},
                                       clock_.now(), true);
    if (!check) {
        const auto& f = check.error().fields;
        for (const char* k : {"bid_deadline", "question_deadline"})
            if (f.count(k)) return Error::Invalid(f.at(k) + " Modifiez la consultation avant de la publier.");
    }
    const std::int64_t now = clock_.now();
    return db_.transaction([&](Connection& c) -> Status {
        auto moved = nt::set_status(c, notice_id, "draft", "published", now);
        if (!moved) return moved.error();
        if (!moved.value())
            return Error::Conflict("Cette consultation a été modifiée entre-temps : rechargez la page.");
        if (auto s = nt::add_history(c, notice_id, now, actor.user_id, "published", "Consultation publiée"); !s)
            return s;
        if (auto s = storage::search_outbox::enqueue(c, "notice", notice_id, now); !s) return s;
        if (!n->roadmap_item_id) return {};
        // The roadmap item becomes this notice; the companies that were interested are told.
        auto converted = storage::roadmaps::set_status(c, *n->roadmap_item_id, "published", "converted", now);
        if (!converted) return converted.error();
        if (!converted.value()) return {};
        if (auto s = storage::search_outbox::enqueue(c, "roadmap", *n->roadmap_item_id, now); !s) return s;
        if (auto s = storage::roadmaps::add_history(c, *n->roadmap_item_id, now, actor.user_id,
                                                    "Consultation lancée : " + n->reference);
            !s)
            return s;
        auto interested = storage::roadmaps::interests(c, *n->roadmap_item_id);
        if (!interested) return interested.error();
        for (const auto& i : interested.value()) {
            if (i.user_email.empty()) continue;
            std::string body = "Bonjour,\n\nVous aviez signalé l'intérêt de " + i.org_name +
                               " pour un projet d'achat de " + n->org_name + ". La consultation est publiée : « " +
                               n->title + " », date limite de remise des offres le " +
                               core::format_datetime_fr(n->bid_deadline) + ".\n\n" + base_url_ + "/consultations/" +
                               std::to_string(notice_id) + kSignature;
            auto q = storage::outbox::enqueue(c, i.user_email, "Consultation publiée : " + n->title, body, now);
            if (!q) return q.error();
        }
        return {};
    });
}

Status NoticeService::set_status(const core::Actor& actor, std::int64_t notice_id, const std::string& to_code) {
    return transition(actor, notice_id, to_code, {}, "");
}

Status NoticeService::award(const core::Actor& actor, std::int64_t notice_id,
                            const std::vector<core::LotAwardInput>& lots, const std::string& notified_on) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (auto s = authorise(actor, n.value()); !s) return s;
    std::set<int> expected, given;
    for (const auto& l : n->lots) expected.insert(l.number);
    for (const auto& l : lots) given.insert(l.lot_number);
    if (expected != given) return Error::Invalid("Indiquez l'attribution de chaque lot de la consultation.");
    auto decision = core::validate_award(lots, notified_on, clock_.now());
    if (!decision) return decision.error();
    std::string summary;
    for (const auto& a : decision->lots) {
        const std::string lot = n->lots.size() > 1 ? "Lot " + std::to_string(a.lot_number) + " : " : "";
        summary +=
            "- " + lot +
            (a.unsuccessful ? "infructueux" : a.winner_name + " (" + core::format_amount_eur(a.amount) + " HT)") + "\n";
    }
    const std::int64_t now = clock_.now();
    auto within = [&](Connection& c, const nt::NoticeRecord& rec) -> Status {
        for (const auto& a : decision->lots) {
            if (a.unsuccessful) continue;
            const nt::LotRecord* lot = nullptr;
            for (const auto& l : rec.lots)
                if (l.number == a.lot_number) lot = &l;
            auto org = storage::orgs::find_org_by_siret(c, a.winner_siret);
            if (!org) return org.error();
            std::optional<std::int64_t> org_id;
            if (org.value()) {
                org_id = org.value()->id;
            } else {
                auto id =
                    storage::orgs::insert_org(c, unclaimed_profile("company", a.winner_siret, a.winner_name), now);
                if (!id) return id.error();
                org_id = id.value();
            }
            storage::contracts::ContractRecord k;
            k.key = "platform|" + std::to_string(rec.id) + "|" + std::to_string(a.lot_number);
            k.source_id = rec.reference + (rec.lots.size() > 1 ? "-lot-" + std::to_string(a.lot_number) : "");
            k.format = "platform";
            k.kind = "marche";
            k.notice_id = rec.id;
            k.buyer_org_id = rec.org_id;
            k.buyer_identifier = rec.org_siret;
            k.buyer_name = rec.org_name;
            k.object =
                rec.title +
                (rec.lots.size() > 1 && lot ? " — lot " + std::to_string(a.lot_number) + " : " + lot->title : "");
            k.cpv = lot ? lot->cpv_code : "";
            k.procedure = rec.procedure;
            k.procedure_text = core::label_of(core::procedures(), rec.procedure).value_or("");
            k.departement = lot && !lot->departements.empty() ? lot->departements.front() : "";
            k.notified_on = decision->notified_on;
            k.published_on = decision->notified_on;
            k.amount = static_cast<double>(a.amount);
            k.social_clause = lot && lot->clause_kind != "none";
            k.content_hash = "platform";
            k.suppliers = {{org_id, a.winner_siret, "SIRET", a.winner_name, ""}};
            auto existing = storage::contracts::find_by_key(c, k.key);
            if (!existing) return existing.error();
            std::int64_t id = 0;
            if (existing.value()) {
                k.id = existing.value()->id;
                if (auto s = storage::contracts::update(c, k, now); !s) return s;
                id = k.id;
            } else {
                auto inserted = storage::contracts::insert(c, k, now);
                if (!inserted) return inserted.error();
                id = inserted.value();
            }
            if (auto s = storage::search_outbox::enqueue(c, "contract", id, now); !s) return s;
            if (auto s = storage::search_outbox::enqueue(c, "company", *org_id, now); !s) return s;
        }
        return {};
    };
    return transition(actor, notice_id, "awarded", within, "\nAttribution :\n" + summary);
}

Status NoticeService::transition(
    const core::Actor& actor, std::int64_t notice_id, const std::string& to_code,
    const std::function<Status(storage::Connection&, const storage::notices::NoticeRecord&)>& within,
    const std::string& more_body) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (auto s = authorise(actor, n.value()); !s) return s;
    auto to = core::parse_notice_status(to_code);
    auto stored = core::parse_notice_status(n->status).value_or(core::NoticeStatus::kDraft);
    if (!to || *to == core::NoticeStatus::kPublished || *to == core::NoticeStatus::kDraft)
        return Error::Invalid("Changement d'état inconnu.");
    // A published notice past its deadline is closed already: it may go straight to awarded/unsuccessful.
    std::string from = n->status;
    bool close_first = stored == core::NoticeStatus::kPublished && *to != core::NoticeStatus::kClosed &&
                       effective_status(n.value()) == core::NoticeStatus::kClosed;
    if (!close_first && !core::notice_transition_allowed(stored, *to))
        return Error::Conflict(*to == core::NoticeStatus::kClosed
                                   ? "Seule une consultation en cours peut être clôturée."
                                   : "Clôturez d'abord la consultation.");
    const std::int64_t now = clock_.now();
    const std::string label = core::notice_status_label(*to);
    return db_.transaction([&](Connection& c) -> Status {
        if (close_first) {
            auto closed = nt::set_status(c, notice_id, "published", "closed", now);
            if (!closed) return closed.error();
            from = "closed";
        }
        auto moved = nt::set_status(c, notice_id, from, to_code, now);
        if (!moved) return moved.error();
        if (!moved.value())
            return Error::Conflict("Cette consultation a été modifiée entre-temps : rechargez la page.");
        if (auto s = nt::add_history(c, notice_id, now, actor.user_id, "status", "Consultation " + lower_first(label));
            !s)
            return s;
        if (auto s = storage::search_outbox::enqueue(c, "notice", notice_id, now); !s) return s;
        if (within)
            if (auto s = within(c, n.value()); !s) return s;
        std::string body = "Bonjour,\n\nLa consultation « " + n->title + " » (" + n->org_name +
                           ") que vous suivez est désormais : " + label + ".\n" + more_body + "\n" + base_url_ +
                           "/consultations/" + std::to_string(notice_id) + kSignature;
        return tell_followers(c, n.value(), label + " : " + n->title, body);
    });
}

Result<nt::NoticeRecord> NoticeService::get(const core::Actor& actor, std::int64_t notice_id) {
    auto n = fetch<std::optional<nt::NoticeRecord>>(db_, [&](Connection& c) { return nt::find_notice(c, notice_id); });
    if (!n) return n.error();
    if (!n.value()) return Error::NotFound(kNotFound);
    const bool insider = actor.membership(n.value()->org_id) || actor.has_role(core::PlatformRole::kAdministrator);
    if (n.value()->status == "draft" && !insider) return Error::NotFound(kNotFound);
    if (n.value()->withdrawn_at && !insider)
        return Error::Gone(
            "Cette consultation a été retirée par l'équipe de Passerelle : elle n'est plus consultable.");
    return std::move(*n.value());
}

Result<std::vector<nt::HistoryRecord>> NoticeService::history(const core::Actor& actor, std::int64_t notice_id) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    return fetch<std::vector<nt::HistoryRecord>>(db_, [&](Connection& c) { return nt::history(c, notice_id); });
}

Result<NoticePage> NoticeService::list_public(nt::NoticeFilter filter, bool open_only, const core::Page& page) {
    if (filter.statuses.empty()) filter.statuses = {"published", "closed", "awarded", "unsuccessful"};
    filter.statuses.erase(std::remove(filter.statuses.begin(), filter.statuses.end(), "draft"), filter.statuses.end());
    if (open_only) {
        filter.statuses = {"published"};
        filter.deadline_after = clock_.now();
    }
    filter.text = core::fold(filter.text);
    return fetch<NoticePage>(db_, [&](Connection& c) -> Result<NoticePage> {
        NoticePage out;
        auto total = nt::count_notices(c, filter);
        if (!total) return total.error();
        out.total = total.value();
        auto items = nt::list_notices(c, filter, page.per_page, page.offset());
        if (!items) return items.error();
        out.items = std::move(items.value());
        return out;
    });
}

Result<NoticePage> NoticeService::list_mine(const core::Actor& actor, const core::Page& page) {
    nt::NoticeFilter f;
    f.include_withdrawn = true;
    for (const auto& m : actor.memberships)
        if (m.org_kind == core::OrgKind::kBuyer) f.org_ids.push_back(m.org_id);
    if (f.org_ids.empty()) return NoticePage{};
    return fetch<NoticePage>(db_, [&](Connection& c) -> Result<NoticePage> {
        NoticePage out;
        auto total = nt::count_notices(c, f);
        if (!total) return total.error();
        out.total = total.value();
        auto items = nt::list_notices(c, f, page.per_page, page.offset());
        if (!items) return items.error();
        out.items = std::move(items.value());
        return out;
    });
}

Status NoticeService::follow(const core::Actor& actor, std::int64_t notice_id) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour suivre une consultation.");
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (n->status == "draft") return Error::Conflict("Un brouillon ne se suit pas.");
    return db_.with_connection([&](Connection& c) { return nt::follow(c, notice_id, *actor.user_id, clock_.now()); });
}

Status NoticeService::unfollow(const core::Actor& actor, std::int64_t notice_id) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous.");
    return db_.with_connection([&](Connection& c) { return nt::unfollow(c, notice_id, *actor.user_id); });
}

Result<bool> NoticeService::is_following(const core::Actor& actor, std::int64_t notice_id) {
    if (actor.anonymous()) return false;
    return fetch<bool>(db_, [&](Connection& c) { return nt::is_following(c, notice_id, *actor.user_id); });
}

Status NoticeService::ask(const core::Actor& actor, std::int64_t notice_id, const std::string& question) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour poser une question.");
    std::optional<std::int64_t> company;
    for (const auto& m : actor.memberships)
        if (m.org_kind == core::OrgKind::kCompany) company = m.org_id;
    if (!company)
        return Error::Forbidden("Les questions sont posées au nom d'une entreprise : déclarez ou rejoignez la vôtre.");
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (!questions_open(n.value())) return Error::Conflict("La date limite des questions est passée.");
    std::string text = core::trim(question);
    if (text.empty() || core::utf8_length(text) > 4000 || !core::is_clean_text(text))
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"question", "La question doit compter entre 1 et 4 000 caractères."}});
    return db_.transaction([&](Connection& c) -> Status {
        auto id = nt::add_question(c, notice_id, *actor.user_id, company, text, clock_.now());
        if (!id) return id.error();
        // The asker follows the notice from now on, to get the answer.
        return nt::follow(c, notice_id, *actor.user_id, clock_.now());
    });
}

Status NoticeService::answer(const core::Actor& actor, std::int64_t notice_id, std::int64_t question_id,
                             const std::string& text_in) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (auto s = authorise(actor, n.value()); !s) return s;
    std::string text = core::trim(text_in);
    if (text.empty() || core::utf8_length(text) > 8000 || !core::is_clean_text(text))
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"answer", "La réponse doit compter entre 1 et 8 000 caractères."}});
    return db_.transaction([&](Connection& c) -> Status {
        auto qs = nt::questions(c, notice_id);
        if (!qs) return qs.error();
        auto q = std::find_if(qs->begin(), qs->end(), [&](const auto& x) { return x.id == question_id; });
        if (q == qs->end()) return Error::NotFound("Cette question n'existe pas.");
        auto done = nt::answer_question(c, notice_id, question_id, text, *actor.user_id, clock_.now());
        if (!done) return done.error();
        if (!done.value()) return Error::Conflict("Cette question a déjà une réponse.");
        std::string body = "Bonjour,\n\nUne réponse a été publiée sur la consultation « " + n->title + " » (" +
                           n->org_name + ") :\n\nQuestion : " + q->question + "\n\nRéponse : " + text + "\n\n" +
                           base_url_ + "/consultations/" + std::to_string(notice_id) + kSignature;
        return tell_followers(c, n.value(), "Nouvelle réponse : " + n->title, body);
    });
}

Result<std::vector<nt::QuestionRecord>> NoticeService::questions(const core::Actor& actor, std::int64_t notice_id) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    auto qs = fetch<std::vector<nt::QuestionRecord>>(db_, [&](Connection& c) { return nt::questions(c, notice_id); });
    if (!qs) return qs.error();
    const bool buyer = can_edit(actor, n.value());
    std::vector<nt::QuestionRecord> out;
    for (auto& q : qs.value()) {
        if (!buyer && !q.answer) continue;
        q.asker_user_id.reset();  // anonymous to everyone, the buyer included
        q.asker_email.clear();
        out.push_back(std::move(q));
    }
    return out;
}

Result<std::int64_t> NoticeService::add_document(const core::Actor& actor, std::int64_t notice_id,
                                                 const std::string& filename, std::string_view bytes) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (auto s = authorise(actor, n.value()); !s) return s.error();
    auto status = effective_status(n.value());
    if (status != core::NoticeStatus::kDraft && status != core::NoticeStatus::kPublished)
        return Error::Conflict("Cette consultation est close : son DCE ne peut plus changer.");
    if (bytes.empty())
        return Error::Invalid(
            "Le formulaire contient des erreurs.",
            {{"document", filename.empty() ? "Choisissez un fichier à déposer." : core::empty_file_message(filename)}});
    if (static_cast<std::int64_t>(bytes.size()) > core::kMaxDocumentBytes)
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"document", "Un document ne doit pas dépasser 50 Mo."}});
    auto type = core::sniff_document(bytes, filename);
    if (!type)
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"document",
                                "Format refusé : seuls les PDF, documents Word/Excel/OpenDocument, archives ZIP et "
                                "images PNG/JPEG sont acceptés (le contenu du fichier est vérifié)."}});
    auto sha = blobs_.put(bytes);
    if (!sha) return sha.error();
    storage::documents::DocumentRecord d;
    d.notice_id = notice_id;
    d.filename = core::safe_filename(filename);
    d.content_type = type->mime;
    d.size = static_cast<std::int64_t>(bytes.size());
    d.sha256 = sha.value();
    d.uploaded_at = clock_.now();
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto inserted = storage::documents::insert_document(c, d, actor.user_id);
        if (!inserted) return inserted.error();
        id = inserted.value();
        if (status != core::NoticeStatus::kPublished) return {};
        if (auto s = nt::add_history(c, notice_id, d.uploaded_at, actor.user_id, "amendment",
                                     "Rectificatif : document ajouté au DCE (" + d.filename + ")");
            !s)
            return s;
        std::string body = "Bonjour,\n\nUn document a été ajouté au dossier de la consultation « " + n->title + " » (" +
                           n->org_name + ") : " + d.filename + ".\n\n" + base_url_ + "/consultations/" +
                           std::to_string(notice_id) + kSignature;
        return tell_followers(c, n.value(), "Rectificatif : " + n->title, body);
    });
    if (!st) return st.error();
    return id;
}

Result<std::vector<storage::documents::DocumentRecord>> NoticeService::documents(const core::Actor& actor,
                                                                                 std::int64_t notice_id) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    return fetch<std::vector<storage::documents::DocumentRecord>>(
        db_, [&](Connection& c) { return storage::documents::list_documents(c, notice_id); });
}

Result<NoticeService::Download> NoticeService::download(const core::Actor& actor, std::int64_t notice_id,
                                                        std::int64_t document_id) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour télécharger le dossier de consultation.");
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    auto d = fetch<std::optional<storage::documents::DocumentRecord>>(
        db_, [&](Connection& c) { return storage::documents::find_document(c, document_id); });
    if (!d) return d.error();
    if (!d.value() || d.value()->notice_id != notice_id) return Error::NotFound("Ce document n'existe pas.");
    auto bytes = blobs_.get(d.value()->sha256);
    if (!bytes) return bytes.error();
    Status st = db_.with_connection([&](Connection& c) {
        return storage::documents::record_download(c, document_id, actor.user_id, clock_.now());
    });
    if (!st) return st.error();
    return Download{*d.value(), std::move(bytes.value())};
}

Result<std::vector<storage::documents::DownloadRecord>> NoticeService::download_log(const core::Actor& actor,
                                                                                    std::int64_t notice_id) {
    auto n = get(actor, notice_id);
    if (!n) return n.error();
    if (!can_edit(actor, n.value())) return Error::Forbidden("Le registre des retraits est réservé à l'acheteur.");
    if (auto s = policy_status(actor, core::Action::kReadCompanyContacts, {n->org_id, core::OrgKind::kBuyer}); !s)
        return s.error();
    return fetch<std::vector<storage::documents::DownloadRecord>>(
        db_, [&](Connection& c) { return storage::documents::downloads(c, notice_id); });
}

Status NoticeService::write_public_csv(const nt::NoticeFilter& filter, bool open_only, std::ostream& out) {
    out << kCsvBom
        << "reference,objet,acheteur,siret_acheteur,procedure,etat,date_limite,lot,intitule_lot,cpv,"
           "montant_estime,departements,clause_sociale,heures_insertion,url\r\n";
    core::Page page{1, 100};
    for (int guard = 0; guard < 1000; ++guard) {
        auto list = list_public(filter, open_only, page);
        if (!list) return list.error();
        std::string csv;
        for (const auto& n : list->items) {
            const std::string status = core::notice_status_code(effective_status(n));
            for (const auto& l : n.lots) {
                std::string deps;
                for (const auto& d : l.departements) deps += (deps.empty() ? "" : " ") + d;
                for (const auto& field :
                     {n.reference, n.title, n.org_name, n.org_siret, n.procedure, status,
                      core::format_iso8601_utc(n.bid_deadline), std::to_string(l.number), l.title, l.cpv_code,
                      std::to_string(l.estimated_amount), deps, l.clause_kind, std::to_string(l.insertion_hours),
                      base_url_ + "/consultations/" + std::to_string(n.id)})
                    csv += csv_field(field) + ",";
                csv.back() = '\r';
                csv += "\n";
            }
        }
        out << csv;
        if (page.offset() + page.per_page >= list->total) break;
        ++page.page;
    }
    return {};
}

}  // namespace passerelle::app
