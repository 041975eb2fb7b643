#include "app/exchange.hpp"

#include <algorithm>
#include <set>

#include "core/document.hpp"
#include "core/fold.hpp"
#include "core/notice.hpp"
#include "core/validation.hpp"
#include "storage/accounts_store.hpp"
#include "storage/notice_store.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"
#include "storage/withdrawal_store.hpp"

namespace passerelle::app {

namespace ex = storage::exchange;
using core::Error;
using core::Result;
using core::Status;
using storage::Connection;
using storage::fetch;

namespace {

const Error kLoginRequired = Error::Unauthenticated("Connectez-vous pour accéder à la bourse à la co-traitance.");
const Error kCompaniesOnly =
    Error::Forbidden("La bourse à la co-traitance est réservée aux entreprises inscrites sur Passerelle.");

std::string offer_url(const std::string& base, std::int64_t id) {
    return base + "/bourse-co-traitance/" + std::to_string(id);
}
std::string conversation_url(const std::string& base, std::int64_t id) {
    return base + "/mon-espace/messages/" + std::to_string(id);
}
std::string consortium_url(const std::string& base, std::int64_t id) {
    return base + "/mon-espace/groupements/" + std::to_string(id);
}

bool is_moderator(const core::Actor& a) { return core::allowed(a, core::Action::kModerate); }

// The attachments of a message as they will be recorded (no hash yet), or why its files are refused.
Result<std::vector<ex::AttachmentRecord>> attachments_of(const std::vector<Upload>& files) {
    std::vector<ex::AttachmentRecord> out;
    for (const auto& f : files) {
        if (f.bytes.empty() && !f.filename.empty())
            return Error::Invalid("Le message contient des erreurs.",
                                  {{"attachments", core::empty_file_message(f.filename)}});
        if (f.bytes.empty()) continue;
        if (static_cast<std::int64_t>(f.bytes.size()) > core::kMaxAttachmentBytes)
            return Error::Invalid("Le message contient des erreurs.",
                                  {{"attachments", "Une pièce jointe ne doit pas dépasser 10 Mo (« " +
                                                       core::safe_filename(f.filename) + " »)."}});
        auto type = core::sniff_document(f.bytes, f.filename);
        if (!type)
            return Error::Invalid("Le message contient des erreurs.",
                                  {{"attachments", "Format refusé pour « " + core::safe_filename(f.filename) +
                                                       " » : PDF, documents Word/Excel/OpenDocument, archives ZIP et "
                                                       "images PNG/JPEG seulement."}});
        ex::AttachmentRecord a;
        a.filename = core::safe_filename(f.filename);
        a.content_type = type->mime;
        a.size = static_cast<std::int64_t>(f.bytes.size());
        out.push_back(std::move(a));
    }
    return out;
}

// Everything wrong with a message at once, in the form's order (its text, then its files); nullopt when it
// may be sent.
std::optional<Error> message_refusal(const Result<std::string>& text, const std::vector<Upload>& files) {
    auto checked = attachments_of(files);
    if (text && checked) return std::nullopt;
    if (!checked && text) return checked.error();
    Error e = text.error();
    if (!checked)
        for (const auto& [field, message] : checked.error().fields) e.fields.add(field, message);
    return e;
}

}  // namespace

std::vector<std::int64_t> ExchangeService::companies_of(const core::Actor& actor) const {
    std::vector<std::int64_t> out;
    for (const auto& m : actor.memberships)
        if (m.org_kind == core::OrgKind::kCompany) out.push_back(m.org_id);
    return out;
}

bool ExchangeService::may_see_offers(const core::Actor& actor) const {
    return !actor.anonymous() && (!companies_of(actor).empty() || is_moderator(actor));
}

Status ExchangeService::notify_members(Connection& c, std::int64_t org_id, const std::string& subject,
                                       const std::string& body) {
    auto members = storage::orgs::list_members(c, org_id);
    if (!members) return members.error();
    for (const auto& m : members.value()) {
        if (m.status != "active") continue;
        auto q = storage::outbox::enqueue(c, m.email, subject, body, clock_.now());
        if (!q) return q.error();
    }
    return {};
}

Result<std::int64_t> ExchangeService::publish_offer(const core::Actor& actor, std::int64_t org_id,
                                                    std::int64_t notice_id, const core::OfferInput& in) {
    if (actor.anonymous()) return kLoginRequired;
    const auto* m = actor.membership(org_id);
    if (!m || m->org_kind != core::OrgKind::kCompany)
        return Error::Forbidden("Vous ne pouvez publier une offre qu'au nom d'une entreprise dont vous êtes membre.");
    auto notice = fetch<std::optional<storage::notices::NoticeRecord>>(
        db_, [&](Connection& c) { return storage::notices::find_notice(c, notice_id); });
    if (!notice) return notice.error();
    if (!notice.value() || notice.value()->status == "draft")
        return Error::NotFound("Cette consultation n'existe pas.");
    if (notice.value()->withdrawn_at)
        return Error::Gone(
            "Cette consultation a été retirée par l'équipe de Passerelle : elle n'accepte plus d'offre.");
    const auto& n = *notice.value();
    const auto status = core::effective_notice_status(
        core::parse_notice_status(n.status).value_or(core::NoticeStatus::kDraft), n.bid_deadline, clock_.now());
    if (status != core::NoticeStatus::kPublished)
        return Error::Conflict("La date limite de cette consultation est passée : la bourse est fermée.");
    std::vector<int> lots;
    for (const auto& l : n.lots) lots.push_back(l.number);
    // Every problem at once — the core's and the references' (codes and départements as typed) — in form order.
    auto offer = core::validate_offer(in, lots);
    core::FieldErrors errors;
    if (!offer) errors = offer.error().fields;
    if (!errors.count("cpv_codes")) {
        auto unknown_cpv = reference_.check_cpv_codes(offer ? offer->cpv_codes : in.cpv_codes);
        if (!unknown_cpv) return unknown_cpv.error();
        if (!unknown_cpv->empty()) errors["cpv_codes"] = *unknown_cpv;
    }
    if (!errors.count("departements") && offer) {
        auto unknown_dep = reference_.first_unknown_departement(offer->departements);
        if (!unknown_dep) return unknown_dep.error();
        if (!unknown_dep->empty()) errors["departements"] = "Département inconnu : " + *unknown_dep + ".";
    }
    if (!errors.empty() || !offer) {
        errors.order_as({"org", "kind", "lot", "share", "cpv_codes", "departements", "description"});
        return Error::Invalid(offer ? "L'offre contient des erreurs." : offer.error().message, std::move(errors));
    }

    ex::OfferRecord r;
    r.notice_id = notice_id;
    r.lot_number = offer->lot_number;
    r.org_id = org_id;
    r.author_user_id = actor.user_id;
    r.kind = offer->kind;
    r.share_percent = offer->share_percent;
    r.description = offer->description;
    r.cpv_codes = offer->cpv_codes;
    r.departements = offer->departements;
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto org = storage::orgs::find_org(c, org_id);
        if (!org) return org.error();
        r.search_text = core::fold(offer->description + " " + (org.value() ? org.value()->name : "") + " " + n.title);
        auto inserted = ex::insert_offer(c, r, clock_.now());
        if (!inserted) return inserted.error();
        id = inserted.value();
        return {};
    });
    if (!st) return st.error();
    return id;
}

Result<ex::OfferRecord> ExchangeService::offer(const core::Actor& actor, std::int64_t id) {
    if (actor.anonymous()) return kLoginRequired;
    if (!may_see_offers(actor)) return kCompaniesOnly;
    auto o = fetch<std::optional<ex::OfferRecord>>(db_, [&](Connection& c) { return ex::find_offer(c, id); });
    if (!o) return o.error();
    if (!o.value()) return Error::NotFound("Cette offre n'existe pas.");
    if (o.value()->hidden && !is_moderator(actor) && !actor.membership(o.value()->org_id))
        return Error::NotFound("Cette offre a été retirée par la modération.");
    return std::move(*o.value());
}

Result<OfferPage> ExchangeService::offers(const core::Actor& actor, ex::OfferFilter f, const core::Page& page) {
    if (actor.anonymous()) return kLoginRequired;
    if (!may_see_offers(actor)) return kCompaniesOnly;
    f.include_hidden = false;
    f.text_like = core::fold(core::trim(f.text_like));
    return storage::fetch_page<ex::OfferRecord>(
        db_, [&](Connection& c) { return ex::list_offers(c, f, page.per_page, static_cast<int>(page.offset())); },
        [&](Connection& c) { return ex::count_offers(c, f); });
}

Result<std::int64_t> ExchangeService::open_offer_count(std::int64_t notice_id) {
    ex::OfferFilter f;
    f.notice_id = notice_id;
    f.status = "open";
    return fetch<std::int64_t>(db_, [&](Connection& c) { return ex::count_offers(c, f); });
}

Status ExchangeService::close_offer(const core::Actor& actor, std::int64_t offer_id, const std::string& to) {
    auto o = offer(actor, offer_id);
    if (!o) return o.error();
    if (!actor.membership(o->org_id)) return Error::Forbidden("Seule l'entreprise auteure de l'offre peut la clore.");
    if (auto why = core::offer_transition_error(o->status, to); !why.empty()) return Error::Conflict(why);
    return db_.transaction([&](Connection& c) -> Status {
        if (auto s = ex::set_offer_status(c, offer_id, to, clock_.now()); !s) return s;
        auto talks = ex::conversations_of_offer(c, offer_id);
        if (!talks) return talks.error();
        const std::string what = to == "found" ? "a trouvé son partenaire" : "a été abandonnée";
        for (const auto& t : talks.value())
            if (auto s = notify_members(c, t.org_id, "Offre de co-traitance close",
                                        "Bonjour,\n\nL'offre de " + o->org_name + " sur la consultation « " +
                                            o->notice_title + " » " + what +
                                            ". La conversation reste lisible mais n'accepte plus de message.\n\n" +
                                            conversation_url(base_url_, t.id) + "\n");
                !s)
                return s;
        return {};
    });
}

Result<std::vector<core::PartnerSuggestion>> ExchangeService::partners(const core::Actor& actor,
                                                                       std::int64_t offer_id) {
    auto o = offer(actor, offer_id);
    if (!o) return o.error();
    if (!actor.membership(o->org_id))
        return Error::Forbidden("Les partenaires suggérés sont montrés à l'auteur de l'offre.");
    std::vector<core::PartnerSuggestion> out;
    Status st = db_.with_connection([&](Connection& c) -> Status {
        auto n = storage::notices::find_notice(c, o->notice_id);
        if (!n) return n.error();
        if (!n.value()) return Error::NotFound("Cette consultation n'existe pas.");
        auto author = storage::orgs::find_org(c, o->org_id);
        if (!author) return author.error();
        core::PartnerRequest req;
        std::set<std::string> places(o->departements.begin(), o->departements.end());
        req.notice_lots = n.value()->lots.size();
        for (const auto& l : n.value()->lots) {
            if (o->lot_number && *o->lot_number != l.number) continue;
            req.lots.push_back({l.number, l.title, l.cpv_code, l.clause_kind});
            places.insert(l.departements.begin(), l.departements.end());
        }
        req.places.assign(places.begin(), places.end());
        if (author.value()) req.author_skills = author.value()->cpv_codes;
        if (core::offer_seeks(o->kind))
            req.sought = o->cpv_codes;
        else
            req.author_skills.insert(req.author_skills.end(), o->cpv_codes.begin(), o->cpv_codes.end());
        // Candidates: companies declaring a skill in the divisions at stake, and the labelled ones.
        std::set<std::string> divisions;
        for (const auto& l : req.lots) divisions.insert(l.cpv.substr(0, 2));
        for (const auto& s : req.sought) divisions.insert(s.substr(0, 2));
        std::map<std::int64_t, core::PartnerCandidate> candidates;
        for (const auto& d : divisions) {
            auto profiles = storage::orgs::sourcing_profiles(c, d);
            if (!profiles) return profiles.error();
            for (auto& [id, p] : profiles.value()) {
                if (id == o->org_id) continue;
                auto& cand = candidates[id];
                cand.org_id = id;
                cand.name = p.name;
                cand.cpv_codes.insert(cand.cpv_codes.end(), p.cpv_codes.begin(), p.cpv_codes.end());
                cand.departements = p.departements;
                cand.labels = p.labels;
            }
        }
        std::vector<core::PartnerCandidate> list;
        for (auto& [id, cand] : candidates) list.push_back(std::move(cand));
        out = core::suggest_partners(req, list);
        return {};
    });
    if (!st) return st.error();
    return out;
}

Result<std::vector<ex::ConversationRecord>> ExchangeService::answers(const core::Actor& actor, std::int64_t offer_id) {
    auto o = offer(actor, offer_id);
    if (!o) return o.error();
    if (!actor.membership(o->org_id)) return Error::Forbidden("Les réponses sont montrées à l'auteur de l'offre.");
    return fetch<std::vector<ex::ConversationRecord>>(
        db_, [&](Connection& c) { return ex::conversations_of_offer(c, offer_id); });
}

Result<std::vector<ex::AttachmentRecord>> ExchangeService::store_files(const std::vector<Upload>& files) {
    auto checked = attachments_of(files);
    if (!checked) return checked.error();
    std::vector<ex::AttachmentRecord> out = std::move(checked.value());
    // Written only once every file passed.
    std::size_t i = 0;
    for (const auto& f : files) {
        if (f.bytes.empty()) continue;
        auto sha = blobs_.put(f.bytes);
        if (!sha) return sha.error();
        out[i++].sha256 = sha.value();
    }
    return out;
}

Status ExchangeService::within_rate(const core::Actor& actor) {
    const std::int64_t now = clock_.now();
    auto sent = fetch<std::pair<std::int64_t, std::int64_t>>(
        db_, [&](Connection& c) { return ex::messages_since(c, *actor.user_id, now - kMessageWindowSeconds); });
    if (!sent) return sent.error();
    if (sent->first < kMessagesPerWindow) return {};
    const auto wait = std::max<std::int64_t>(1, sent->second + kMessageWindowSeconds - now);
    return Error::TooMany("Vous avez envoyé beaucoup de messages en peu de temps : réessayez dans " +
                              std::to_string((wait + 59) / 60) + " minute(s).",
                          static_cast<int>(wait));
}

Result<std::int64_t> ExchangeService::answer(const core::Actor& actor, std::int64_t offer_id, std::int64_t org_id,
                                             const std::string& body, const std::vector<Upload>& files) {
    auto o = offer(actor, offer_id);
    if (!o) return o.error();
    const auto* m = actor.membership(org_id);
    if (!m || m->org_kind != core::OrgKind::kCompany)
        return Error::Forbidden("Vous ne pouvez répondre qu'au nom d'une entreprise dont vous êtes membre.");
    if (org_id == o->org_id) return Error::Conflict("Vous ne pouvez pas répondre à votre propre offre.");
    if (o->status != "open") return Error::Conflict("Cette offre est close : elle n'accepte plus de réponse.");
    if (auto limit = within_rate(actor); !limit) return limit.error();
    std::size_t n_files = 0;
    for (const auto& f : files) n_files += f.bytes.empty() ? 0 : 1;
    auto text = core::validate_message(body, n_files);
    if (auto refused = message_refusal(text, files)) return *refused;
    auto stored = store_files(files);
    if (!stored) return stored.error();
    std::int64_t conversation = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto id = ex::conversation_for(c, offer_id, org_id, clock_.now());
        if (!id) return id.error();
        conversation = id.value();
        ex::MessageRecord msg;
        msg.conversation_id = conversation;
        msg.org_id = org_id;
        msg.author_user_id = actor.user_id;
        msg.body = text.value();
        msg.created_at = clock_.now();
        auto mid = ex::insert_message(c, msg);
        if (!mid) return mid.error();
        for (auto a : stored.value()) {
            a.message_id = mid.value();
            if (auto r = ex::insert_attachment(c, a); !r) return r.error();
        }
        if (auto s = ex::mark_read(c, conversation, org_id, mid.value(), clock_.now()); !s) return s;
        auto who = storage::orgs::find_org(c, org_id);
        if (!who) return who.error();
        const std::string name = who.value() ? who.value()->name : "Une entreprise";
        return notify_members(c, o->org_id, "Réponse à votre offre de co-traitance",
                              "Bonjour,\n\n" + name + " a répondu à votre offre sur la consultation « " +
                                  o->notice_title +
                                  " ».\n\nLire et répondre : " + conversation_url(base_url_, conversation) +
                                  "\nVotre offre et ses réponses : " + offer_url(base_url_, offer_id) + "\n");
    });
    if (!st) return st.error();
    return conversation;
}

Result<std::int64_t> ExchangeService::side_of(const core::Actor& actor, const ex::ConversationRecord& c) const {
    if (actor.anonymous()) return kLoginRequired;
    if (actor.membership(c.org_id)) return c.org_id;
    if (actor.membership(c.offer_org_id)) return c.offer_org_id;
    return Error::Forbidden("Cette conversation est privée : seules les deux entreprises y ont accès.");
}

Result<std::int64_t> ExchangeService::post_message(const core::Actor& actor, std::int64_t conversation_id,
                                                   const std::string& body, const std::vector<Upload>& files) {
    if (actor.anonymous()) return kLoginRequired;
    auto v = fetch<std::optional<ex::ConversationRecord>>(
        db_, [&](Connection& c) { return ex::find_conversation(c, conversation_id); });
    if (!v) return v.error();
    if (!v.value()) return Error::NotFound("Cette conversation n'existe pas.");
    auto side = side_of(actor, *v.value());
    if (!side) return side.error();
    if (v.value()->offer_status != "open")
        return Error::Conflict("L'offre est close : cette conversation n'accepte plus de message.");
    if (auto limit = within_rate(actor); !limit) return limit.error();
    std::size_t n_files = 0;
    for (const auto& f : files) n_files += f.bytes.empty() ? 0 : 1;
    auto text = core::validate_message(body, n_files);
    if (auto refused = message_refusal(text, files)) return *refused;
    auto stored = store_files(files);
    if (!stored) return stored.error();
    std::int64_t id = 0;
    const std::int64_t other = side.value() == v.value()->org_id ? v.value()->offer_org_id : v.value()->org_id;
    const std::string from = side.value() == v.value()->org_id ? v.value()->org_name : v.value()->offer_org_name;
    Status st = db_.transaction([&](Connection& c) -> Status {
        ex::MessageRecord msg;
        msg.conversation_id = conversation_id;
        msg.org_id = side.value();
        msg.author_user_id = actor.user_id;
        msg.body = text.value();
        msg.created_at = clock_.now();
        auto mid = ex::insert_message(c, msg);
        if (!mid) return mid.error();
        id = mid.value();
        for (auto a : stored.value()) {
            a.message_id = id;
            if (auto r = ex::insert_attachment(c, a); !r) return r.error();
        }
        if (auto s = ex::mark_read(c, conversation_id, side.value(), id, clock_.now()); !s) return s;
        // One mail per unread batch: when the other side has not yet read an earlier message of ours, it was
        // mailed then and this one waits with it (twenty messages in a row send one mail, not twenty).
        auto seen = ex::last_read(c, conversation_id, other);
        if (!seen) return seen.error();
        auto messages = ex::list_messages(c, conversation_id);
        if (!messages) return messages.error();
        for (const auto& m : messages.value())
            if (m.id > seen.value() && m.id != id && m.org_id != other) return {};
        return notify_members(c, other, "Nouveau message de " + from,
                              "Bonjour,\n\n" + from + " vous a écrit au sujet de la consultation « " +
                                  v.value()->notice_title +
                                  " ».\n\nLire et répondre : " + conversation_url(base_url_, conversation_id) + "\n");
    });
    if (!st) return st.error();
    return id;
}

Result<ConversationView> ExchangeService::conversation(const core::Actor& actor, std::int64_t id) {
    if (actor.anonymous()) return kLoginRequired;
    ConversationView out;
    std::optional<Error> refused;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto v = ex::find_conversation(c, id);
        if (!v) return v.error();
        if (!v.value()) {
            refused = Error::NotFound("Cette conversation n'existe pas.");
            return {};
        }
        auto side = side_of(actor, *v.value());
        if (!side) {
            refused = side.error();
            return {};
        }
        out.conversation = *v.value();
        out.viewer_org_id = side.value();
        auto messages = ex::list_messages(c, id);
        if (!messages) return messages.error();
        out.messages = std::move(messages.value());
        const std::int64_t other =
            side.value() == out.conversation.org_id ? out.conversation.offer_org_id : out.conversation.org_id;
        auto read = ex::last_read(c, id, other);
        if (!read) return read.error();
        out.other_read_up_to = read.value();
        out.can_write = out.conversation.offer_status == "open";
        if (!out.messages.empty())
            if (auto s = ex::mark_read(c, id, side.value(), out.messages.back().id, clock_.now()); !s) return s;
        auto mine = ex::consortia_of(c, side.value());
        if (!mine) return mine.error();
        for (const auto& k : mine.value())
            if (k.offer_id == out.conversation.offer_id &&
                std::any_of(k.members.begin(), k.members.end(), [&](const auto& m) { return m.org_id == other; }))
                out.consortium_id = k.id;
        return {};
    });
    if (!st) return st.error();
    if (refused) return *refused;
    return out;
}

Result<std::vector<ex::ConversationRecord>> ExchangeService::my_conversations(const core::Actor& actor) {
    if (actor.anonymous()) return kLoginRequired;
    std::vector<ex::ConversationRecord> out;
    for (auto org : companies_of(actor)) {
        auto list = fetch<std::vector<ex::ConversationRecord>>(
            db_, [&](Connection& c) { return ex::conversations_of(c, org); });
        if (!list) return list.error();
        out.insert(out.end(), list->begin(), list->end());
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.last_message_at > b.last_message_at; });
    return out;
}

Result<FileDownload> ExchangeService::attachment(const core::Actor& actor, std::int64_t attachment_id) {
    if (actor.anonymous()) return kLoginRequired;
    auto a = fetch<std::optional<ex::AttachmentRecord>>(
        db_, [&](Connection& c) { return ex::find_attachment(c, attachment_id); });
    if (!a) return a.error();
    if (!a.value()) return Error::NotFound("Cette pièce jointe n'existe pas.");
    auto v = fetch<std::optional<ex::ConversationRecord>>(
        db_, [&](Connection& c) { return ex::find_conversation(c, a.value()->conversation_id); });
    if (!v) return v.error();
    if (!v.value()) return Error::NotFound("Cette pièce jointe n'existe pas.");
    if (auto side = side_of(actor, *v.value()); !side && !is_moderator(actor)) return side.error();
    auto bytes = blobs_.get(a.value()->sha256);
    if (!bytes) return bytes.error();
    return FileDownload{a.value()->filename, a.value()->content_type, std::move(bytes.value())};
}

Result<std::int64_t> ExchangeService::form_consortium(const core::Actor& actor, std::int64_t conversation_id,
                                                      const std::string& name_in) {
    auto view = conversation(actor, conversation_id);
    if (!view) return view.error();
    if (view->consortium_id)
        return Error::Conflict("Un groupement existe déjà entre vos deux entreprises pour cette offre.");
    const auto& v = view->conversation;
    std::string name = core::trim(name_in);
    if (name.empty()) name = "Groupement " + v.offer_org_name + " – " + v.org_name;
    if (core::utf8_length(name) > 150 || !core::is_clean_line(name))
        return Error::Invalid("Le nom du groupement contient des erreurs.",
                              {{"name", "Le nom compte au plus 150 caractères, sans caractère de contrôle."}});
    // Roles from the offer: who seeks a lead is a co-contractor; a subcontracting offer makes a subcontractor.
    const std::string& kind = v.offer_kind;
    std::string author_role = "lead", responder_role = "member";
    if (kind == "seek_lead" || kind == "offer_cocontractor") std::swap(author_role, responder_role);
    if (kind == "seek_subcontractor") responder_role = "subcontractor";
    if (kind == "offer_subcontractor") author_role = "subcontractor", responder_role = "lead";
    const std::int64_t me = view->viewer_org_id;
    const std::int64_t now = clock_.now();
    ex::ConsortiumRecord k;
    k.notice_id = v.notice_id;
    k.offer_id = v.offer_id;
    k.name = name;
    k.created_by = actor.user_id;
    k.created_at = now;
    for (auto [org, role] : {std::pair{v.offer_org_id, author_role}, std::pair{v.org_id, responder_role}}) {
        ex::MemberRecord m;
        m.org_id = org;
        m.role = role;
        m.status = org == me ? "active" : "invited";
        if (org == me) m.joined_at = now;
        k.members.push_back(m);
    }
    std::int64_t id = 0;
    const std::int64_t other = me == v.org_id ? v.offer_org_id : v.org_id;
    const std::string from = me == v.org_id ? v.org_name : v.offer_org_name;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto inserted = ex::insert_consortium(c, k);
        if (!inserted) return inserted.error();
        id = inserted.value();
        for (const auto& item : core::default_checklist())
            if (auto s = ex::add_checklist_item(c, id, item); !s) return s;
        return notify_members(
            c, other, "Proposition de groupement",
            "Bonjour,\n\n" + from + " propose de former le groupement « " + name + " » pour la consultation « " +
                v.notice_title + " ».\n\nAccepter et ouvrir l'espace du groupement : " + consortium_url(base_url_, id) +
                "\n");
    });
    if (!st) return st.error();
    return id;
}

Result<ConsortiumView> ExchangeService::consortium(const core::Actor& actor, std::int64_t id) {
    if (actor.anonymous()) return kLoginRequired;
    auto k = fetch<std::optional<ex::ConsortiumRecord>>(db_, [&](Connection& c) { return ex::find_consortium(c, id); });
    if (!k) return k.error();
    if (!k.value()) return Error::NotFound("Ce groupement n'existe pas.");
    ConsortiumView out;
    out.consortium = std::move(*k.value());
    const ex::MemberRecord* mine = nullptr;
    for (const auto& m : out.consortium.members)
        if (actor.membership(m.org_id) && (!mine || m.status == "active")) mine = &m;
    if (!mine) return Error::Forbidden("L'espace d'un groupement est réservé à ses membres.");
    out.viewer_org_id = mine->org_id;
    out.viewer_active = mine->status == "active";
    out.viewer_lead = out.viewer_active && mine->role == "lead";
    if (!out.viewer_active) return out;
    Status st = db_.with_connection([&](Connection& c) -> Status {
        auto docs = ex::list_documents(c, id);
        if (!docs) return docs.error();
        out.documents = std::move(docs.value());
        auto items = ex::checklist(c, id);
        if (!items) return items.error();
        out.checklist = std::move(items.value());
        return {};
    });
    if (!st) return st.error();
    return out;
}

Status ExchangeService::accept_consortium(const core::Actor& actor, std::int64_t consortium_id) {
    auto view = consortium(actor, consortium_id);
    if (!view) return view.error();
    if (view->viewer_active) return Error::Conflict("Votre entreprise est déjà membre de ce groupement.");
    ex::MemberRecord me;
    for (const auto& m : view->consortium.members)
        if (m.org_id == view->viewer_org_id) me = m;
    me.status = "active";
    me.joined_at = clock_.now();
    return db_.transaction([&](Connection& c) -> Status {
        if (auto s = ex::upsert_member(c, consortium_id, me); !s) return s;
        for (const auto& m : view->consortium.members)
            if (m.org_id != me.org_id && m.status == "active")
                if (auto s = notify_members(c, m.org_id, "Groupement accepté",
                                            "Bonjour,\n\n" + me.org_name + " a rejoint le groupement « " +
                                                view->consortium.name + " ».\n\n" +
                                                consortium_url(base_url_, consortium_id) + "\n");
                    !s)
                    return s;
        return {};
    });
}

Result<std::vector<ex::ConsortiumRecord>> ExchangeService::my_consortia(const core::Actor& actor) {
    if (actor.anonymous()) return kLoginRequired;
    std::vector<ex::ConsortiumRecord> out;
    std::set<std::int64_t> seen;
    for (auto org : companies_of(actor)) {
        auto list =
            fetch<std::vector<ex::ConsortiumRecord>>(db_, [&](Connection& c) { return ex::consortia_of(c, org); });
        if (!list) return list.error();
        for (auto& k : list.value())
            if (seen.insert(k.id).second) out.push_back(std::move(k));
    }
    return out;
}

Status ExchangeService::set_member(const core::Actor& actor, std::int64_t consortium_id, std::int64_t org_id,
                                   const std::string& role, const std::string& lots) {
    auto view = consortium(actor, consortium_id);
    if (!view) return view.error();
    if (!view->viewer_lead) return Error::Forbidden("Seul le mandataire répartit les rôles et les lots.");
    core::FieldErrors errors;  // in the form's order
    if (!core::label_of(core::consortium_roles(), role)) errors["role"] = "Choisissez un rôle dans la liste.";
    const std::string l = core::trim(lots);
    if (core::utf8_length(l) > 100 || !core::is_clean_text(l))
        errors["lots"] = "Les lots et prestations tiennent en 100 caractères.";
    if (!errors.empty()) return Error::Invalid("Le membre contient des erreurs.", std::move(errors));
    auto it = std::find_if(view->consortium.members.begin(), view->consortium.members.end(),
                           [&](const auto& m) { return m.org_id == org_id; });
    if (it == view->consortium.members.end())
        return Error::NotFound("Cette entreprise n'est pas membre du groupement.");
    const int leads = static_cast<int>(std::count_if(view->consortium.members.begin(), view->consortium.members.end(),
                                                     [&](const auto& m) { return m.role == "lead"; }));
    if (it->role == "lead" && role != "lead" && leads == 1)
        return Error::Conflict(
            "Le membre contient des erreurs.",
            {{"role", "Un groupement garde un mandataire : désignez d'abord le nouveau mandataire."}});
    ex::MemberRecord m = *it;
    m.role = role;
    m.lots = l;
    return db_.with_connection([&](Connection& c) { return ex::upsert_member(c, consortium_id, m); });
}

Result<std::int64_t> ExchangeService::add_document(const core::Actor& actor, std::int64_t consortium_id,
                                                   const Upload& file) {
    auto view = consortium(actor, consortium_id);
    if (!view) return view.error();
    if (!view->viewer_active) return Error::Forbidden("Acceptez d'abord le groupement.");
    if (file.bytes.empty())
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"document", file.filename.empty() ? "Choisissez un fichier à déposer."
                                                                  : core::empty_file_message(file.filename)}});
    if (static_cast<std::int64_t>(file.bytes.size()) > core::kMaxDocumentBytes)
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"document", "Un document ne doit pas dépasser 50 Mo."}});
    auto type = core::sniff_document(file.bytes, file.filename);
    if (!type)
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"document",
                                "Format refusé : PDF, documents Word/Excel/OpenDocument, archives ZIP et "
                                "images PNG/JPEG seulement (le contenu du fichier est vérifié)."}});
    auto sha = blobs_.put(file.bytes);
    if (!sha) return sha.error();
    ex::DocumentRecord d;
    d.consortium_id = consortium_id;
    d.org_id = view->viewer_org_id;
    d.uploaded_by = actor.user_id;
    d.filename = core::safe_filename(file.filename);
    d.content_type = type->mime;
    d.size = static_cast<std::int64_t>(file.bytes.size());
    d.sha256 = sha.value();
    d.uploaded_at = clock_.now();
    return fetch<std::int64_t>(db_, [&](Connection& c) { return ex::insert_document(c, d); });
}

Result<FileDownload> ExchangeService::document(const core::Actor& actor, std::int64_t document_id) {
    if (actor.anonymous()) return kLoginRequired;
    auto d =
        fetch<std::optional<ex::DocumentRecord>>(db_, [&](Connection& c) { return ex::find_document(c, document_id); });
    if (!d) return d.error();
    if (!d.value()) return Error::NotFound("Ce document n'existe pas.");
    auto view = consortium(actor, d.value()->consortium_id);
    if (!view) return view.error();
    if (!view->viewer_active) return Error::Forbidden("Acceptez d'abord le groupement.");
    auto bytes = blobs_.get(d.value()->sha256);
    if (!bytes) return bytes.error();
    return FileDownload{d.value()->filename, d.value()->content_type, std::move(bytes.value())};
}

Status ExchangeService::add_checklist_item(const core::Actor& actor, std::int64_t consortium_id,
                                           const std::string& label) {
    auto view = consortium(actor, consortium_id);
    if (!view) return view.error();
    if (!view->viewer_active) return Error::Forbidden("Acceptez d'abord le groupement.");
    const std::string l = core::trim(label);
    if (l.empty() || core::utf8_length(l) > 200 || !core::is_clean_text(l))
        return Error::Invalid("La liste contient des erreurs.",
                              {{"label", "Décrivez la pièce ou la tâche en 200 caractères au plus."}});
    return db_.with_connection([&](Connection& c) { return ex::add_checklist_item(c, consortium_id, l); });
}

Status ExchangeService::check_item(const core::Actor& actor, std::int64_t consortium_id, std::int64_t item_id,
                                   bool done) {
    auto view = consortium(actor, consortium_id);
    if (!view) return view.error();
    if (!view->viewer_active) return Error::Forbidden("Acceptez d'abord le groupement.");
    auto changed = fetch<bool>(db_, [&](Connection& c) {
        return ex::set_checklist_done(c, consortium_id, item_id, done, *actor.user_id, clock_.now());
    });
    if (!changed) return changed.error();
    if (!changed.value()) return Error::NotFound("Cet élément n'est pas dans la liste du groupement.");
    return {};
}

Result<std::int64_t> ExchangeService::report(const core::Actor& actor, const std::string& kind, std::int64_t id,
                                             const std::string& reason_in) {
    if (actor.anonymous()) return kLoginRequired;
    if (kind == "message") {
        auto m = fetch<std::optional<ex::MessageRecord>>(db_, [&](Connection& c) { return ex::find_message(c, id); });
        if (!m) return m.error();
        if (!m.value()) return Error::NotFound("Ce message n'existe pas.");
        auto v = fetch<std::optional<ex::ConversationRecord>>(
            db_, [&](Connection& c) { return ex::find_conversation(c, m.value()->conversation_id); });
        if (!v) return v.error();
        if (!v.value()) return Error::NotFound("Ce message n'existe pas.");
        if (auto side = side_of(actor, *v.value()); !side) return side.error();  // participants only
        if (actor.membership(m.value()->org_id))
            return Error::Conflict("Vous ne pouvez pas signaler un message de votre propre entreprise.");
    } else if (kind == "offer") {
        auto o = offer(actor, id);
        if (!o) return o.error();
        if (actor.membership(o->org_id)) return Error::Conflict("Vous ne pouvez pas signaler votre propre offre.");
    } else {
        return Error::NotFound("Ce contenu n'existe pas.");
    }
    const std::string reason = core::trim(reason_in);
    if (core::utf8_length(reason) < 5 || core::utf8_length(reason) > 1000 || !core::is_clean_text(reason))
        return Error::Invalid("Le signalement contient des erreurs.",
                              {{"reason", "Expliquez en quelques mots ce qui pose problème (5 à 1 000 caractères)."}});
    ex::ReportRecord r;
    r.target_kind = kind;
    r.target_id = id;
    r.reporter_user_id = actor.user_id;
    r.reason = reason;
    r.created_at = clock_.now();
    return fetch<std::int64_t>(db_, [&](Connection& c) -> Result<std::int64_t> {
        // One open report per person and content: the organisers see it once.
        auto already = ex::has_open_report(c, kind, id, *actor.user_id);
        if (!already) return already.error();
        if (already.value())
            return Error::Conflict(
                "Vous avez déjà signalé ce contenu : les organisateurs de la plateforme l'examinent.");
        return ex::insert_report(c, r);
    });
}

namespace {

// The reported content, its author and whether it is hidden; nullopt when the content is gone.
Result<std::optional<ReportView>> view_of(Connection& c, ex::ReportRecord r) {
    ReportView v;
    v.report = std::move(r);
    if (v.report.target_kind == "message") {
        auto m = ex::find_message(c, v.report.target_id);
        if (!m) return m.error();
        if (!m.value()) return std::optional<ReportView>{};
        v.excerpt = m.value()->body;
        v.author_user_id = m.value()->author_user_id;
        v.hidden = m.value()->hidden;
    } else {
        auto o = ex::find_offer(c, v.report.target_id);
        if (!o) return o.error();
        if (!o.value()) return std::optional<ReportView>{};
        v.excerpt = o.value()->description;
        v.author_user_id = o.value()->author_user_id;
        v.hidden = o.value()->hidden;
    }
    if (v.author_user_id) {
        auto u = storage::accounts::find_user(c, *v.author_user_id);
        if (!u) return u.error();
        if (u.value()) {
            v.author_name = u.value()->display_name;
            v.author_email = u.value()->email;
        }
    }
    return std::optional<ReportView>(std::move(v));
}

Status moderator_only(const core::Actor& actor) {
    if (auto d = core::decide(actor, core::Action::kModerate); d != core::Decision::kAllow)
        return d == core::Decision::kLoginRequired ? kLoginRequired
                                                   : Error::Forbidden("La modération est réservée aux organisateurs.");
    return {};
}

}  // namespace

Result<std::vector<ReportView>> ExchangeService::open_reports(const core::Actor& actor) {
    if (auto s = moderator_only(actor); !s) return s.error();
    return fetch<std::vector<ReportView>>(db_, [&](Connection& c) -> Result<std::vector<ReportView>> {
        auto list = ex::reports(c, "open", 200);
        if (!list) return list.error();
        std::vector<ReportView> out;
        for (auto& r : list.value()) {
            auto v = view_of(c, std::move(r));
            if (!v) return v.error();
            if (v.value()) out.push_back(std::move(*v.value()));
        }
        return out;
    });
}

Status ExchangeService::decide_report(const core::Actor& actor, std::int64_t report_id, const std::string& action) {
    if (auto s = moderator_only(actor); !s) return s;
    if (action != "hide" && action != "suspend" && action != "dismiss") return Error::Invalid("Action inconnue.");
    auto found = fetch<std::optional<ReportView>>(db_, [&](Connection& c) -> Result<std::optional<ReportView>> {
        auto r = ex::find_report(c, report_id);
        if (!r) return r.error();
        if (!r.value() || r.value()->status != "open") return std::optional<ReportView>{};
        return view_of(c, std::move(*r.value()));
    });
    if (!found) return found.error();
    if (!found.value()) return Error::NotFound("Ce signalement n'existe pas ou a déjà été traité.");
    const ReportView& v = *found.value();
    if (action == "suspend" && !v.author_user_id) return Error::Conflict("L'auteur de ce contenu n'a plus de compte.");
    if (action == "suspend" && v.author_user_id == actor.user_id)
        return Error::Conflict("Vous ne pouvez pas suspendre votre propre compte.");
    return db_.transaction([&](Connection& c) -> Status {
        if (action != "dismiss") {
            auto s = v.report.target_kind == "message" ? ex::set_message_hidden(c, v.report.target_id, true)
                                                       : ex::set_offer_hidden(c, v.report.target_id, true);
            if (!s) return s;
        }
        if (action == "suspend") {
            if (auto s = storage::accounts::set_suspended(c, *v.author_user_id, clock_.now()); !s) return s;
            // What the suspended person published is withdrawn from public view too, for an administrator to review.
            auto w = storage::withdrawals::withdraw_of_user(c, *v.author_user_id,
                                                            storage::withdrawals::kAccountSuspended, clock_.now());
            if (!w) return w.error();
        }
        const std::string status = action == "hide" ? "hidden" : action == "suspend" ? "suspended" : "dismissed";
        return ex::decide_reports_on(c, v.report.target_kind, v.report.target_id, status, *actor.user_id, clock_.now());
    });
}

}  // namespace passerelle::app
