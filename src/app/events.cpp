#include "app/events.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/crypto.hpp"
#include "app/office_formats.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/validation.hpp"
#include "sched/schedule.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"
#include "storage/pitch_store.hpp"

namespace passerelle::app {

using core::Error;
using core::Result;
using core::Status;
using storage::Connection;
using storage::fetch;
namespace ce = core::events;

namespace {

const Error kLoginRequired = Error::Unauthenticated("Connectez-vous pour participer à cet événement.");
const Error kNoEvent = Error::NotFound("Cet événement n'existe pas.");

bool organiser(const core::Actor& a) { return core::allowed(a, core::Action::kManageEvents); }

ev::EventRecord record_of(const ce::EventData& d) {
    ev::EventRecord e;
    e.title = d.title;
    e.summary = d.summary;
    e.description = d.description;
    e.place = d.place;
    e.address = d.address;
    e.starts_at = d.starts_at;
    e.ends_at = d.ends_at;
    e.registration_opens_at = d.registration_opens_at;
    e.registration_closes_at = d.registration_closes_at;
    e.requests_deadline = d.requests_deadline;
    e.capacity_buyers = d.capacity_buyers;
    e.capacity_companies = d.capacity_companies;
    e.max_per_org = d.max_per_org;
    e.approval_required = d.approval_required;
    e.sessions = d.sessions;
    for (const auto& q : d.questions) e.questions.push_back({0, q.label, q.required});
    return e;
}

std::string hhmm(std::int64_t t) { return core::format_paris_datetime_local(t).substr(11, 5); }

std::optional<int> capacity_for(const ev::EventRecord& e, const std::string& role) {
    return role == "buyer" ? e.capacity_buyers : e.capacity_companies;
}

// The meetings as participants know them: the published slot and table.
std::vector<ev::MeetingRecord> as_announced(std::vector<ev::MeetingRecord> m) {
    std::vector<ev::MeetingRecord> out;
    for (auto& x : m) {
        if (!x.announced_slot) continue;
        x.slot = *x.announced_slot;
        x.table_number = x.announced_table.value_or(x.table_number);
        out.push_back(std::move(x));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.slot, a.table_number, a.request_id) < std::tie(b.slot, b.table_number, b.request_id);
    });
    return out;
}

}  // namespace

std::string EventService::checkin_url(std::int64_t event_id, const std::string& code) const {
    return base_url_ + "/mon-espace/evenements/" + std::to_string(event_id) + "/emargement?code=" + code;
}

Status EventService::require_organiser(const core::Actor& actor) const {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour gérer les événements.");
    if (!organiser(actor)) return Error::Forbidden("La gestion des événements est réservée aux organisateurs.");
    return {};
}

Result<EventDetails> EventService::load(Connection& c, std::int64_t id) {
    auto e = ev::find_event(c, id);
    if (!e) return e.error();
    if (!e.value()) return kNoEvent;
    EventDetails d;
    d.event = std::move(*e.value());
    d.slots = ce::slots_of(d.event.sessions);
    d.tables = ce::tables_of(d.event.sessions);
    d.window = ce::registration_window(d.event.status, d.event.registration_opens_at, d.event.registration_closes_at,
                                       d.event.starts_at, clock_.now());
    auto b = ev::count_seats(c, id, "buyer");
    if (!b) return b.error();
    auto co = ev::count_seats(c, id, "company");
    if (!co) return co.error();
    d.buyers_confirmed = b.value();
    d.companies_confirmed = co.value();
    return d;
}

Result<ev::EventRecord> EventService::managed_event(const core::Actor& actor, std::int64_t id) {
    if (auto s = require_organiser(actor); !s) return s.error();
    auto e = fetch<std::optional<ev::EventRecord>>(db_, [&](Connection& c) { return ev::find_event(c, id); });
    if (!e) return e.error();
    if (!e.value()) return kNoEvent;
    return std::move(*e.value());
}

// ---- Events ----

Result<std::int64_t> EventService::create(const core::Actor& actor, const ce::EventInput& in) {
    if (auto s = require_organiser(actor); !s) return s.error();
    auto d = ce::validate_event(in);
    if (!d) return d.error();
    auto e = record_of(d.value());
    e.created_by = actor.user_id;
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto r = ev::insert_event(c, e, clock_.now());
        if (!r) return r.error();
        id = r.value();
        return {};
    });
    if (!st) return st.error();
    return id;
}

Status EventService::update(const core::Actor& actor, std::int64_t id, const ce::EventInput& in) {
    auto current = managed_event(actor, id);
    if (!current) return current.error();
    if (current->status == "cancelled") return Error::Conflict("Cet événement est annulé : il ne peut plus changer.");
    auto d = ce::validate_event(in);
    if (!d) return d.error();
    auto e = record_of(d.value());
    e.id = id;
    return db_.transaction([&](Connection& c) -> Status {
        // Fewer slots than meetings placed: the organiser re-runs the schedule, meetings beyond are dropped.
        const int slots = static_cast<int>(ce::slots_of(d->sessions).size());
        if (auto s = storage::to_status(
                c.exec("DELETE FROM event_meetings WHERE event_id = ? AND slot >= ?", {id, std::int64_t{slots}}));
            !s)
            return s;
        return ev::update_event(c, e, clock_.now());
    });
}

ce::EventInput EventService::input_of(const ev::EventRecord& e) {
    ce::EventInput in;
    in.title = e.title;
    in.summary = e.summary;
    in.description = e.description;
    in.place = e.place;
    in.address = e.address;
    in.day = core::format_paris_datetime_local(e.starts_at).substr(0, 10);
    in.starts = hhmm(e.starts_at);
    in.ends = hhmm(e.ends_at);
    if (e.registration_opens_at) in.registration_opens = core::format_paris_datetime_local(*e.registration_opens_at);
    if (e.registration_closes_at) in.registration_closes = core::format_paris_datetime_local(*e.registration_closes_at);
    if (e.requests_deadline) in.requests_deadline = core::format_paris_datetime_local(e.requests_deadline);
    if (e.capacity_buyers) in.capacity_buyers = std::to_string(*e.capacity_buyers);
    if (e.capacity_companies) in.capacity_companies = std::to_string(*e.capacity_companies);
    in.max_per_org = std::to_string(e.max_per_org);
    in.approval_required = e.approval_required;
    for (const auto& s : e.sessions)
        in.sessions.push_back({s.kind, s.title, hhmm(s.starts_at), hhmm(s.ends_at),
                               s.slot_minutes ? std::to_string(*s.slot_minutes) : "",
                               s.tables ? std::to_string(*s.tables) : ""});
    for (const auto& q : e.questions) in.questions.push_back({q.label, q.required});
    return in;
}

Status EventService::transition(const core::Actor& actor, std::int64_t id, const std::string& action) {
    auto e = managed_event(actor, id);
    if (!e) return e.error();
    if (action == "publier") {
        if (e->status != "draft") return Error::Conflict("Seul un brouillon peut être publié.");
        return db_.transaction(
            [&](Connection& c) -> Status { return ev::set_event_status(c, id, "published", clock_.now()); });
    }
    if (action == "annuler") {
        if (e->status == "cancelled") return Error::Conflict("Cet événement est déjà annulé.");
        return db_.transaction([&](Connection& c) -> Status {
            if (auto s = ev::set_event_status(c, id, "cancelled", clock_.now()); !s) return s;
            auto regs = ev::registrations(c, id);
            if (!regs) return regs.error();
            for (const auto& r : regs.value()) {
                if (r.status == "cancelled" || r.status == "refused") continue;
                auto q = storage::outbox::enqueue(
                    c, r.user_email, "Événement annulé : " + e->title,
                    "Bonjour,\n\nL'événement « " + e->title + " » prévu le " + core::format_datetime_fr(e->starts_at) +
                        " est annulé. Votre inscription n'a plus d'objet.\n\nL'équipe Passerelle\n",
                    clock_.now());
                if (!q) return q.error();
            }
            return {};
        });
    }
    return Error::Invalid("Action inconnue.");
}

Result<EventDetails> EventService::details(const core::Actor& actor, std::int64_t id) {
    auto d = fetch<EventDetails>(db_, [&](Connection& c) { return load(c, id); });
    if (!d) return d.error();
    if (d->event.status == "draft" && !organiser(actor)) return kNoEvent;
    return d;
}

Result<std::vector<ev::EventRecord>> EventService::upcoming(int limit) {
    return fetch<std::vector<ev::EventRecord>>(
        db_, [&](Connection& c) { return ev::list_events(c, false, false, clock_.now(), limit); });
}

Result<std::vector<ev::EventRecord>> EventService::past(int limit) {
    return fetch<std::vector<ev::EventRecord>>(
        db_, [&](Connection& c) { return ev::list_events(c, false, true, clock_.now(), limit); });
}

Result<std::vector<ev::EventRecord>> EventService::managed(const core::Actor& actor) {
    if (auto s = require_organiser(actor); !s) return s.error();
    return fetch<std::vector<ev::EventRecord>>(db_, [&](Connection& c) -> Result<std::vector<ev::EventRecord>> {
        auto next = ev::list_events(c, true, false, clock_.now(), 200);
        if (!next) return next.error();
        auto before = ev::list_events(c, true, true, clock_.now(), 200);
        if (!before) return before.error();
        auto out = std::move(next.value());
        for (auto& e : before.value()) out.push_back(std::move(e));
        return out;
    });
}

// ---- Registration ----

Status EventService::mail_registration(Connection& c, const ev::RegistrationRecord& r, const ev::EventRecord& e) {
    const std::string page = base_url_ + "/evenements/" + std::to_string(e.id);
    std::string subject, body = "Bonjour " + r.user_name + ",\n\n";
    if (r.status == "confirmed") {
        subject = "Inscription confirmée : " + e.title;
        body += "Votre inscription à « " + e.title + " » (" + core::format_datetime_fr(e.starts_at) + ", " + e.place +
                ") au nom de " + r.org_name + " est confirmée.\n\nVotre code d'émargement : " + r.checkin_code +
                "\nPrésentez-le à l'accueil, ou son code QR joint à ce message (également affiché sur votre "
                "agenda) :\n" +
                base_url_ + "/mon-espace/evenements/" + std::to_string(e.id) +
                "\n\nAvant l'événement, demandez vos rendez-vous "
                "d'affaires depuis cette même page.\n";
    } else if (r.status == "pending") {
        subject = "Inscription reçue : " + e.title;
        body += "Votre demande d'inscription à « " + e.title +
                " » est enregistrée. L'organisateur la validera prochainement ; vous recevrez un message.\n";
    } else if (r.status == "waitlisted") {
        subject = "Liste d'attente : " + e.title;
        body += "L'événement « " + e.title +
                " » est complet : vous êtes sur la liste d'attente. Si une place se libère, elle vous sera "
                "attribuée automatiquement et vous recevrez un message.\n";
    } else if (r.status == "refused") {
        subject = "Inscription non retenue : " + e.title;
        body += "L'organisateur n'a pas pu retenir votre inscription à « " + e.title + " ».\n";
    } else {
        return {};
    }
    body += "\n" + page + "\n\nL'équipe Passerelle\n";
    std::vector<storage::outbox::MailAttachment> files;
    if (r.status == "confirmed") {
        auto png = qr_png(checkin_url(e.id, r.checkin_code));
        if (!png) return png.error();
        files.push_back({"emargement-" + r.checkin_code + ".png", "image/png", base64(png.value())});
    }
    return storage::to_status(storage::outbox::enqueue(c, r.user_email, subject, body, files, clock_.now()));
}

Result<ev::RegistrationRecord> EventService::register_for(const core::Actor& actor, std::int64_t event_id,
                                                          std::int64_t org_id,
                                                          const std::vector<std::string>& answers) {
    if (actor.anonymous()) return kLoginRequired;
    const auto* m = actor.membership(org_id);
    if (!m) return Error::Forbidden("Vous ne pouvez vous inscrire qu'au nom d'une organisation dont vous êtes membre.");
    const std::string role = m->org_kind == core::OrgKind::kBuyer ? "buyer" : "company";
    std::optional<ev::RegistrationRecord> out;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto d = load(c, event_id);
        if (!d) return d.error();
        const auto& e = d->event;
        if (e.status == "draft") return kNoEvent;
        if (d->window != ce::Availability::kOpen)
            return Error::Conflict(ce::registration_window_message(d->window, e.registration_opens_at));
        auto existing = ev::registration_of(c, event_id, *actor.user_id);
        if (!existing) return existing.error();
        if (existing.value()) {
            if (existing.value()->status == "refused")
                return Error::Conflict("Votre inscription à cet événement n'a pas été retenue.");
            if (existing.value()->status != "cancelled") return Error::Conflict("Vous êtes déjà inscrit.");
            if (auto s = ev::delete_registration(c, existing.value()->id); !s) return s;
        }
        auto same_org = ev::count_org_registrations(c, event_id, org_id);
        if (!same_org) return same_org.error();
        if (same_org.value() >= e.max_per_org)
            return Error::Conflict("Votre organisation compte déjà " + std::to_string(same_org.value()) +
                                   " personne(s) inscrite(s) : c'est le maximum pour cet événement.");
        core::FieldErrors missing;
        nlohmann::json stored = nlohmann::json::array();
        for (std::size_t i = 0; i < e.questions.size(); ++i) {
            const std::string a = i < answers.size() ? core::trim(answers[i]) : "";
            if (e.questions[i].required && a.empty())
                missing["answers." + std::to_string(i + 1)] = "Merci de répondre à cette question.";
            else if (core::utf8_length(a) > 2000 || !core::is_clean_text(a))
                missing["answers." + std::to_string(i + 1)] = "Cette réponse est trop longue ou mal formée.";
            stored.push_back({{"question", e.questions[i].label}, {"answer", a}});
        }
        if (!missing.empty()) return Error::Invalid("Votre inscription est incomplète.", std::move(missing));
        const auto cap = capacity_for(e, role);
        const std::int64_t seats = role == "buyer" ? d->buyers_confirmed : d->companies_confirmed;
        ev::RegistrationRecord r;
        r.event_id = event_id;
        r.org_id = org_id;
        r.user_id = *actor.user_id;
        r.role = role;
        r.status = ce::initial_registration_status(e.approval_required, !cap || seats < *cap);
        r.answers = stored.dump();
        r.checkin_code = random_code(8);
        auto id = ev::insert_registration(c, r, clock_.now());
        if (!id) return id.error();
        auto full = ev::find_registration(c, id.value());
        if (!full) return full.error();
        out = *full.value();
        return mail_registration(c, *out, e);
    });
    if (!st) return st.error();
    return std::move(*out);
}

Status EventService::promote_waiting(Connection& c, const ev::EventRecord& e, const std::string& role) {
    for (;;) {
        const auto cap = capacity_for(e, role);
        if (cap) {
            auto seats = ev::count_seats(c, e.id, role);
            if (!seats) return seats.error();
            if (seats.value() >= *cap) return {};
        }
        auto next = ev::first_waiting(c, e.id, role);
        if (!next) return next.error();
        if (!next.value()) return {};
        auto r = *next.value();
        if (auto s = ev::set_registration_status(c, r.id, "confirmed", clock_.now()); !s) return s;
        r.status = "confirmed";
        if (auto s = mail_registration(c, r, e); !s) return s;
    }
}

Status EventService::cancel_registration(const core::Actor& actor, std::int64_t event_id) {
    if (actor.anonymous()) return kLoginRequired;
    return db_.transaction([&](Connection& c) -> Status {
        auto e = ev::find_event(c, event_id);
        if (!e) return e.error();
        if (!e.value()) return kNoEvent;
        auto r = ev::registration_of(c, event_id, *actor.user_id);
        if (!r) return r.error();
        if (!r.value() || r.value()->status == "cancelled" || r.value()->status == "refused")
            return Error::NotFound("Vous n'êtes pas inscrit à cet événement.");
        if (clock_.now() >= e.value()->starts_at)
            return Error::Conflict("L'événement a commencé : l'inscription ne peut plus être annulée.");
        const bool held_seat = r.value()->status == "confirmed";
        if (auto s = ev::set_registration_status(c, r.value()->id, "cancelled", clock_.now()); !s) return s;
        return held_seat ? promote_waiting(c, *e.value(), r.value()->role) : Status{};
    });
}

Status EventService::decide_registration(const core::Actor& actor, std::int64_t registration_id,
                                         const std::string& decision) {
    if (auto s = require_organiser(actor); !s) return s;
    if (decision != "valider" && decision != "refuser") return Error::Invalid("Décision inconnue.");
    return db_.transaction([&](Connection& c) -> Status {
        auto r = ev::find_registration(c, registration_id);
        if (!r) return r.error();
        if (!r.value()) return Error::NotFound("Cette inscription n'existe pas.");
        auto reg = *r.value();
        if (reg.status != "pending" && !(decision == "refuser" && reg.status == "waitlisted"))
            return Error::Conflict("Cette inscription n'attend pas de décision (" +
                                   ce::registration_status_label(reg.status) + ").");
        auto d = load(c, reg.event_id);
        if (!d) return d.error();
        if (decision == "refuser") {
            reg.status = "refused";
        } else {
            const auto cap = capacity_for(d->event, reg.role);
            const std::int64_t seats = reg.role == "buyer" ? d->buyers_confirmed : d->companies_confirmed;
            reg.status = !cap || seats < *cap ? "confirmed" : "waitlisted";
        }
        if (auto s = ev::set_registration_status(c, reg.id, reg.status, clock_.now()); !s) return s;
        return mail_registration(c, reg, d->event);
    });
}

Result<std::optional<ev::RegistrationRecord>> EventService::my_registration(const core::Actor& actor,
                                                                            std::int64_t event_id) {
    if (actor.anonymous()) return std::optional<ev::RegistrationRecord>{};
    return fetch<std::optional<ev::RegistrationRecord>>(
        db_, [&](Connection& c) { return ev::registration_of(c, event_id, *actor.user_id); });
}

Result<std::vector<ev::RegistrationRecord>> EventService::my_registrations(const core::Actor& actor) {
    if (actor.anonymous()) return kLoginRequired;
    return fetch<std::vector<ev::RegistrationRecord>>(
        db_, [&](Connection& c) { return ev::registrations_of_user(c, *actor.user_id); });
}

Result<std::int64_t> EventService::awaiting_answer(const core::Actor& actor) {
    if (actor.anonymous()) return std::int64_t{0};
    std::vector<std::int64_t> orgs;
    for (const auto& m : actor.memberships) orgs.push_back(m.org_id);
    return fetch<std::int64_t>(db_, [&](Connection& c) { return ev::count_awaiting(c, orgs, clock_.now()); });
}

Result<std::vector<ev::RegistrationRecord>> EventService::registrants(const core::Actor& actor, std::int64_t event_id) {
    auto e = managed_event(actor, event_id);
    if (!e) return e.error();
    return fetch<std::vector<ev::RegistrationRecord>>(db_,
                                                      [&](Connection& c) { return ev::registrations(c, event_id); });
}

Result<std::vector<std::vector<std::string>>> EventService::registrants_table(const core::Actor& actor,
                                                                              std::int64_t event_id) {
    auto e = managed_event(actor, event_id);
    if (!e) return e.error();
    auto regs =
        fetch<std::vector<ev::RegistrationRecord>>(db_, [&](Connection& c) { return ev::registrations(c, event_id); });
    if (!regs) return regs.error();
    std::vector<std::string> header = {"Nom",  "E-mail", "Organisation", "SIRET",
                                       "Rôle", "Statut", "Inscrit le",   "Émargement"};
    for (const auto& q : e->questions) header.push_back(q.label);
    std::vector<std::vector<std::string>> rows = {header};
    for (const auto& r : regs.value()) {
        std::vector<std::string> row = {r.user_name,
                                        r.user_email,
                                        r.org_name,
                                        r.org_siret,
                                        ce::role_label(r.role),
                                        ce::registration_status_label(r.status),
                                        core::format_datetime_fr(r.created_at),
                                        r.checked_in_at ? "Présent (" + core::format_time_fr(*r.checked_in_at) + ")"
                                        : r.no_show     ? "Absent"
                                                        : ""};
        // Answers by the question's words (questions may have changed since).
        auto answers = nlohmann::json::parse(r.answers, nullptr, false);
        for (const auto& q : e->questions) {
            std::string a;
            if (answers.is_array())
                for (const auto& x : answers)
                    if (x.is_object() && x.value("question", "") == q.label) a = x.value("answer", "");
            row.push_back(a);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// ---- Meeting requests ----

Result<ev::ParticipantRecord> EventService::participant_for(Connection& c, const core::Actor& actor,
                                                            std::int64_t event_id, std::int64_t org_id) {
    if (actor.anonymous()) return kLoginRequired;
    if (!actor.membership(org_id) && !organiser(actor))
        return Error::Forbidden("Vous n'êtes pas membre de cette organisation.");
    auto ps = ev::participants(c, event_id);
    if (!ps) return ps.error();
    for (auto& p : ps.value())
        if (p.org_id == org_id) return std::move(p);
    return Error::Forbidden(
        "Votre organisation n'a pas d'inscription confirmée à cet événement : inscrivez-vous d'abord.");
}

Status EventService::mail_org(Connection& c, std::int64_t event_id, std::int64_t org_id, const std::string& subject,
                              const std::string& body, const std::vector<storage::outbox::MailAttachment>& files) {
    // The organisation's people registered at the event; its active members when none is.
    auto regs = ev::registrations(c, event_id, "confirmed");
    if (!regs) return regs.error();
    std::set<std::string> to;
    for (const auto& r : regs.value())
        if (r.org_id == org_id) to.insert(r.user_email);
    if (to.empty()) {
        auto members = storage::orgs::list_members(c, org_id);
        if (!members) return members.error();
        for (const auto& m : members.value())
            if (m.status == "active") to.insert(m.email);
    }
    for (const auto& email : to)
        if (auto q = storage::outbox::enqueue(c, email, subject, body, files, clock_.now()); !q) return q.error();
    return {};
}

Result<MeetingSpace> EventService::meeting_space(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id) {
    return fetch<MeetingSpace>(db_, [&](Connection& c) -> Result<MeetingSpace> {
        MeetingSpace s;
        auto d = load(c, event_id);
        if (!d) return d.error();
        if (d->event.status == "draft") return kNoEvent;
        s.details = std::move(d.value());
        auto me = participant_for(c, actor, event_id, org_id);
        if (!me) return me.error();
        s.me = std::move(me.value());
        auto rs = ev::requests(c, event_id, org_id);
        if (!rs) return rs.error();
        const auto now = clock_.now();
        const bool started = now >= s.details.event.starts_at;
        std::map<std::int64_t, std::string> live;  // counterpart -> status of the request with it
        for (auto& r : rs.value()) {
            RequestView v;
            v.effective_status = ce::effective_request_status(r.status, s.details.event.requests_deadline, now);
            v.incoming = r.initiated_by != s.me.role && r.initiated_by != "organiser";
            v.actions = ce::request_actions(v.effective_status, v.incoming, s.me.role == "buyer", started);
            live[s.me.role == "buyer" ? r.company_org_id : r.buyer_org_id] = v.effective_status;
            v.request = std::move(r);
            if (v.effective_status == "accepted") ++s.accepted;
            s.requests.push_back(std::move(v));
        }
        auto ps = ev::participants(c, event_id);
        if (!ps) return ps.error();
        for (auto& p : ps.value()) {
            if (p.role == s.me.role) continue;
            auto it = live.find(p.org_id);
            const bool requestable = it == live.end() || ce::may_request_again(it->second);
            s.counterparts.push_back({std::move(p), requestable});
        }
        s.requests_open = s.details.event.status == "published" && now < s.details.event.requests_deadline;
        s.unavailable = ce::parse_slot_list(s.me.unavailable_slots, static_cast<int>(s.details.slots.size()));
        std::vector<std::int64_t> buyers;
        if (s.me.role == "buyer")
            buyers.push_back(org_id);
        else
            for (const auto& p : s.counterparts) buyers.push_back(p.participant.org_id);
        auto topics = ev::topics_of(c, buyers);
        if (!topics) return topics.error();
        s.topics = std::move(topics.value());
        return s;
    });
}

namespace {
// Refuses when the organisation has as many accepted meetings as its cap.
Status within_cap(Connection& c, std::int64_t event_id, const ev::ParticipantRecord& p, bool self) {
    if (!p.max_meetings) return {};
    auto n = ev::count_accepted(c, event_id, p.org_id);
    if (!n) return n.error();
    if (n.value() < *p.max_meetings) return {};
    return Error::Conflict(self ? "Vous avez atteint votre nombre maximal de rendez-vous (" +
                                      std::to_string(*p.max_meetings) + ")."
                                : p.org_name + " a atteint son nombre maximal de rendez-vous.");
}
}  // namespace

Result<std::int64_t> EventService::request_meeting(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id,
                                                   std::int64_t to_org_id, const std::string& message_raw,
                                                   const std::string& topic_kind,
                                                   std::optional<std::int64_t> topic_id) {
    if (actor.anonymous()) return kLoginRequired;
    if (org_id == to_org_id)
        return Error::Invalid("La demande n'est pas envoyée.",
                              {{"to", "Vous ne pouvez pas demander un rendez-vous à votre propre organisation."}});
    const std::string message = core::trim(message_raw);
    if (core::utf8_length(message) > ce::kMaxRequestMessage || !core::is_clean_text(message))
        return Error::Invalid(
            "La demande n'est pas envoyée.",
            {{"message", "Le message fait au plus " +
                             core::format_integer_fr(static_cast<std::int64_t>(ce::kMaxRequestMessage)) +
                             " caractères."}});
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto d = load(c, event_id);
        if (!d) return d.error();
        const auto& e = d->event;
        if (e.status != "published") return Error::Conflict("Cet événement n'accepte pas de demandes.");
        if (clock_.now() >= e.requests_deadline)
            return Error::Conflict("La date limite des demandes de rendez-vous est passée (" +
                                   core::format_datetime_fr(e.requests_deadline) + ").");
        auto me = participant_for(c, actor, event_id, org_id);
        if (!me) return me.error();
        if (!actor.membership(org_id)) return Error::Forbidden("Vous n'êtes pas membre de cette organisation.");
        auto ps = ev::participants(c, event_id);
        if (!ps) return ps.error();
        std::optional<ev::ParticipantRecord> other;
        for (auto& p : ps.value())
            if (p.org_id == to_org_id) other = p;
        if (!other) return Error::NotFound("Cette organisation ne participe pas à l'événement.");
        if (other->role == me->role)
            return Error::Invalid(
                "La demande n'est pas envoyée.",
                {{"to", me->role == "company"
                            ? "Les rendez-vous se demandent à un acheteur public, pas à une entreprise."
                            : "Les rendez-vous se proposent à une entreprise, pas à un acheteur."}});
        const std::int64_t company = me->role == "company" ? org_id : to_org_id;
        const std::int64_t buyer = me->role == "buyer" ? org_id : to_org_id;
        std::string tk = topic_kind;
        std::optional<std::int64_t> tid = topic_id;
        if (tk.empty() || !tid) {
            tk.clear();
            tid.reset();
        } else {
            auto owner = ev::topic_owner(c, tk, *tid);
            if (!owner) return owner.error();
            if (!owner.value() || *owner.value() != buyer)
                return Error::Invalid("La demande n'est pas envoyée.",
                                      {{"topic",
                                        "Ce sujet n'est pas un projet d'achat ou une consultation de cet "
                                        "acheteur : choisissez-en un de l'acheteur sollicité."}});
        }
        auto existing = ev::request_between(c, event_id, company, buyer);
        if (!existing) return existing.error();
        if (existing.value()) {
            const auto& x = *existing.value();
            const auto status = ce::effective_request_status(x.status, e.requests_deadline, clock_.now());
            if (status == "pending" && x.initiated_by != me->role) {
                // Both sides asked: the meeting is agreed, and weighs more.
                if (auto s = within_cap(c, event_id, *me, true); !s) return s;
                if (auto s = within_cap(c, event_id, *other, false); !s) return s;
                if (auto s = ev::answer_request(c, x.id, "accepted", true, clock_.now()); !s) return s;
                id = x.id;
                return mail_org(c, event_id, to_org_id, "Rendez-vous confirmé : " + e.title,
                                "Bonjour,\n\n" + me->org_name + " souhaite aussi vous rencontrer à « " + e.title +
                                    " » : le rendez-vous est confirmé. Il sera placé dans le planning.\n\n" +
                                    base_url_ + "/mon-espace/evenements/" + std::to_string(event_id) +
                                    "/rendez-vous\n\nL'équipe Passerelle\n");
            }
            if (status != "withdrawn")
                return Error::Conflict("Une demande existe déjà entre " + x.company_name + " et " + x.buyer_name +
                                       " (" + ce::request_status_label(status) + ").");
            if (auto s = ev::delete_request(c, x.id); !s) return s;
        }
        if (auto s = within_cap(c, event_id, *other, false); !s) return s;
        ev::RequestRecord r;
        r.event_id = event_id;
        r.company_org_id = company;
        r.buyer_org_id = buyer;
        r.initiated_by = me->role;
        r.message = message;
        r.topic_kind = tk;
        r.topic_id = tid;
        r.created_by = actor.user_id;
        auto inserted = ev::insert_request(c, r, clock_.now());
        if (!inserted) return inserted.error();
        id = inserted.value();
        return mail_org(c, event_id, to_org_id, "Demande de rendez-vous : " + e.title,
                        "Bonjour,\n\n" + me->org_name + " vous propose un rendez-vous à « " + e.title + " »" +
                            (message.empty() ? "." : " :\n\n« " + message + " »") + "\n\nRépondez avant le " +
                            core::format_datetime_fr(e.requests_deadline) + " :\n" + base_url_ +
                            "/mon-espace/evenements/" + std::to_string(event_id) +
                            "/rendez-vous\n\nL'équipe Passerelle\n");
    });
    if (!st) return st.error();
    return id;
}

Status EventService::act_on_request(const core::Actor& actor, std::int64_t request_id, const std::string& action) {
    if (actor.anonymous()) return kLoginRequired;
    return db_.transaction([&](Connection& c) -> Status {
        auto found = ev::find_request(c, request_id);
        if (!found) return found.error();
        if (!found.value()) return Error::NotFound("Cette demande n'existe pas.");
        const auto q = *found.value();
        auto e = ev::find_event(c, q.event_id);
        if (!e) return e.error();
        if (!e.value()) return kNoEvent;
        const auto status = ce::effective_request_status(q.status, e.value()->requests_deadline, clock_.now());
        const std::int64_t receiver = q.initiated_by == "company" ? q.buyer_org_id : q.company_org_id;
        const std::int64_t sender = q.initiated_by == "company" ? q.company_org_id : q.buyer_org_id;
        const std::string page = base_url_ + "/mon-espace/evenements/" + std::to_string(q.event_id) + "/rendez-vous";
        const bool started = clock_.now() >= e.value()->starts_at;
        // The rules of core::events::request_actions, seen from the receiving and from the sending side.
        const auto as_receiver = ce::request_actions(status, true, receiver == q.buyer_org_id, started);
        const auto as_sender = ce::request_actions(status, false, sender == q.buyer_org_id, started);
        if (action == "accepter" || action == "decliner") {
            if (!actor.membership(receiver)) return Error::Forbidden("Seule l'organisation sollicitée peut répondre.");
            if (status == "expired")
                return Error::Conflict("La date limite des réponses est passée : cette demande a expiré.");
            if (!as_receiver.answer) return Error::Conflict("Cette demande a déjà une réponse.");
            const bool accept = action == "accepter";
            if (accept) {
                auto me = participant_for(c, actor, q.event_id, receiver);
                if (!me) return me.error();
                if (auto s = within_cap(c, q.event_id, *me, true); !s) return s;
                auto ps = ev::participants(c, q.event_id);
                if (!ps) return ps.error();
                for (const auto& p : ps.value())
                    if (p.org_id == sender)
                        if (auto s = within_cap(c, q.event_id, p, false); !s) return s;
            }
            if (auto s = ev::answer_request(c, q.id, accept ? "accepted" : "declined", false, clock_.now()); !s)
                return s;
            const std::string who = receiver == q.buyer_org_id ? q.buyer_name : q.company_name;
            return mail_org(
                c, q.event_id, sender,
                std::string(accept ? "Rendez-vous accepté : " : "Rendez-vous décliné : ") + e.value()->title,
                "Bonjour,\n\n" + who + (accept ? " a accepté" : " a décliné") + " votre demande de rendez-vous à « " +
                    e.value()->title + " ».\n\n" + page + "\n\nL'équipe Passerelle\n");
        }
        if (action == "retirer" || action == "annuler") {
            const bool mine = actor.membership(sender) || actor.membership(receiver);
            if (!mine) return Error::Forbidden("Cette demande ne concerne pas votre organisation.");
            if (started) return Error::Conflict("L'événement a commencé : ce rendez-vous ne peut plus être annulé.");
            if (action == "retirer" && (!as_sender.withdraw || !actor.membership(sender)))
                return Error::Conflict("Seule une demande envoyée et sans réponse peut être retirée.");
            if (action == "annuler" && !as_sender.cancel)
                return Error::Conflict("Seul un rendez-vous accepté peut être annulé.");
            if (auto s = ev::answer_request(c, q.id, "withdrawn", q.mutual, clock_.now()); !s) return s;
            if (auto s = ev::delete_meeting(c, q.id); !s) return s;
            if (action == "retirer") return {};
            const std::int64_t other = actor.membership(sender) ? receiver : sender;
            const std::string who = other == q.buyer_org_id ? q.company_name : q.buyer_name;
            return mail_org(c, q.event_id, other, "Rendez-vous annulé : " + e.value()->title,
                            "Bonjour,\n\n" + who + " a annulé votre rendez-vous à « " + e.value()->title + " ».\n\n" +
                                page + "\n\nL'équipe Passerelle\n");
        }
        if (action == "prioritaire" || action == "normal") {
            if (!actor.membership(q.buyer_org_id))
                return Error::Forbidden("Seul l'acheteur peut marquer un rendez-vous comme prioritaire.");
            const auto& buyer_side = receiver == q.buyer_org_id ? as_receiver : as_sender;
            if (!buyer_side.prioritise) return Error::Conflict("Cette demande n'est plus active.");
            return ev::set_request_priority(c, q.id, action == "prioritaire");
        }
        return Error::Invalid("Action inconnue.");
    });
}

Status EventService::save_availability(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id,
                                       const std::vector<int>& unavailable, const std::string& cap_raw) {
    if (actor.anonymous()) return kLoginRequired;
    return db_.transaction([&](Connection& c) -> Status {
        auto d = load(c, event_id);
        if (!d) return d.error();
        auto me = participant_for(c, actor, event_id, org_id);
        if (!me) return me.error();
        if (clock_.now() >= d->event.starts_at)
            return Error::Conflict("L'événement a commencé : les disponibilités ne changent plus.");
        const int n = static_cast<int>(d->slots.size());
        auto cap = ce::parse_cap(cap_raw, n);
        if (!cap) return cap.error();
        if (cap.value()) {
            auto accepted = ev::count_accepted(c, event_id, org_id);
            if (!accepted) return accepted.error();
            if (accepted.value() > *cap.value())
                return Error::Conflict("Vous avez déjà " + std::to_string(accepted.value()) +
                                           " rendez-vous acceptés : le plafond ne peut pas être plus bas.",
                                       {{"max_meetings", "Au moins " + std::to_string(accepted.value()) + "."}});
        }
        std::vector<int> slots;
        for (int s : unavailable)
            if (s >= 0 && s < n) slots.push_back(s);
        std::sort(slots.begin(), slots.end());
        slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
        return ev::save_participant(c, event_id, org_id, ce::format_slot_list(slots), cap.value());
    });
}

Result<RequestMatrix> EventService::matrix(const core::Actor& actor, std::int64_t event_id) {
    if (auto s = require_organiser(actor); !s) return s.error();
    return fetch<RequestMatrix>(db_, [&](Connection& c) -> Result<RequestMatrix> {
        RequestMatrix m;
        auto d = load(c, event_id);
        if (!d) return d.error();
        m.details = std::move(d.value());
        auto ps = ev::participants(c, event_id);
        if (!ps) return ps.error();
        for (auto& p : ps.value()) (p.role == "buyer" ? m.buyers : m.companies).push_back(std::move(p));
        auto rs = ev::requests(c, event_id);
        if (!rs) return rs.error();
        std::set<std::int64_t> met;
        for (auto& r : rs.value()) {
            RequestView v;
            v.effective_status =
                ce::effective_request_status(r.status, m.details.event.requests_deadline, clock_.now());
            if (v.effective_status == "pending") ++m.pending;
            if (v.effective_status == "accepted") {
                ++m.accepted;
                met.insert(r.company_org_id);
            }
            if (v.effective_status == "declined") ++m.declined;
            if (v.effective_status == "expired") ++m.expired;
            v.request = std::move(r);
            m.requests.push_back(std::move(v));
        }
        const auto answered = m.accepted + m.declined + m.expired;
        m.acceptance_rate = answered ? static_cast<double>(m.accepted) / static_cast<double>(answered) : 0;
        for (const auto& p : m.companies)
            if (!met.count(p.org_id)) m.companies_without_accepted.push_back(p.org_name);
        return m;
    });
}

Result<std::int64_t> EventService::add_meeting(const core::Actor& actor, std::int64_t event_id, std::int64_t company,
                                               std::int64_t buyer) {
    if (auto s = require_organiser(actor); !s) return s.error();
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto d = load(c, event_id);
        if (!d) return d.error();
        auto ps = ev::participants(c, event_id);
        if (!ps) return ps.error();
        bool company_ok = false, buyer_ok = false;
        for (const auto& p : ps.value()) {
            company_ok = company_ok || (p.org_id == company && p.role == "company");
            buyer_ok = buyer_ok || (p.org_id == buyer && p.role == "buyer");
        }
        if (!company_ok || !buyer_ok) {
            core::FieldErrors errors;
            if (!company_ok) errors["company"] = "Choisissez une entreprise inscrite (confirmée) à l'événement.";
            if (!buyer_ok) errors["buyer"] = "Choisissez un acheteur inscrit (confirmé) à l'événement.";
            return Error::Invalid("Le rendez-vous n'est pas ajouté.", std::move(errors));
        }
        auto existing = ev::request_between(c, event_id, company, buyer);
        if (!existing) return existing.error();
        if (existing.value()) {
            if (existing.value()->status == "accepted") return Error::Conflict("Ce rendez-vous est déjà accepté.");
            id = existing.value()->id;
            return ev::answer_request(c, id, "accepted", existing.value()->mutual, clock_.now());
        }
        ev::RequestRecord r;
        r.event_id = event_id;
        r.company_org_id = company;
        r.buyer_org_id = buyer;
        r.initiated_by = "organiser";
        r.status = "accepted";
        r.by_organiser = true;
        r.created_by = actor.user_id;
        auto inserted = ev::insert_request(c, r, clock_.now());
        if (!inserted) return inserted.error();
        id = inserted.value();
        return {};
    });
    if (!st) return st.error();
    return id;
}

// ---- The schedule ----

Result<ScheduleView> EventService::schedule_view(Connection& c, std::int64_t event_id) {
    ScheduleView v;
    auto d = load(c, event_id);
    if (!d) return d.error();
    v.details = std::move(d.value());
    auto ms = ev::meetings(c, event_id);
    if (!ms) return ms.error();
    v.meetings = std::move(ms.value());
    auto ps = ev::participants(c, event_id);
    if (!ps) return ps.error();
    auto rs = ev::requests(c, event_id);
    if (!rs) return rs.error();
    std::set<std::int64_t> asked, met;
    for (const auto& r : rs.value())
        if (r.status == "accepted") {
            ++v.accepted_requests;
            asked.insert(r.company_org_id);
        }
    for (const auto& m : v.meetings) {
        met.insert(m.company_org_id);
        if (m.announced_slot && (*m.announced_slot != m.slot)) ++v.moved_since_announced;
    }
    for (const auto& p : ps.value())
        if (p.role == "company" && asked.count(p.org_id) && !met.count(p.org_id)) ++v.companies_without_meeting;
    return v;
}

Result<ScheduleView> EventService::schedule(const core::Actor& actor, std::int64_t event_id) {
    if (auto s = require_organiser(actor); !s) return s.error();
    return fetch<ScheduleView>(db_, [&](Connection& c) { return schedule_view(c, event_id); });
}

namespace {

// The event's accepted requests as a scheduler instance; `ids[i]` is the request id of instance request i.
struct Built {
    sched::Instance instance;
    std::vector<std::int64_t> request_ids;
    std::vector<std::int64_t> buyer_of;  // per instance request
};

// Companies selected to pitch are not available during the pitch session.
Built build_instance(const EventDetails& d, const std::vector<ev::ParticipantRecord>& participants,
                     const std::vector<ev::RequestRecord>& requests, const std::set<std::int64_t>& pitchers) {
    const auto pitch_slots = ce::slots_during_pitches(d.event.sessions);
    Built b;
    b.instance.name = d.event.title;
    b.instance.num_slots = static_cast<int>(d.slots.size());
    b.instance.tables = d.tables;
    std::map<std::int64_t, int> index;
    for (const auto& p : participants) {
        sched::Participant x;
        x.id = static_cast<int>(b.instance.participants.size());
        x.name = p.org_name;
        x.buyer = p.role == "buyer";
        auto off = ce::parse_slot_list(p.unavailable_slots, b.instance.num_slots);
        if (pitchers.count(p.org_id)) {
            off.insert(off.end(), pitch_slots.begin(), pitch_slots.end());
            std::sort(off.begin(), off.end());
            off.erase(std::unique(off.begin(), off.end()), off.end());
        }
        x.all_slots = off.empty();
        if (!off.empty())
            for (int s = 0; s < b.instance.num_slots; ++s)
                if (!std::binary_search(off.begin(), off.end(), s)) x.avail.push_back(s);
        x.cap = p.max_meetings;
        index[p.org_id] = x.id;
        b.instance.participants.push_back(std::move(x));
    }
    for (const auto& r : requests) {
        if (r.status != "accepted") continue;
        auto c = index.find(r.company_org_id);
        auto u = index.find(r.buyer_org_id);
        if (c == index.end() || u == index.end()) continue;  // a side no longer registered
        sched::Request q;
        q.id = static_cast<int>(b.instance.requests.size());
        q.from = c->second;
        q.to = u->second;
        q.weight = ce::meeting_weight(r.mutual, r.priority);
        b.instance.requests.push_back(q);
        b.request_ids.push_back(r.id);
        b.buyer_of.push_back(r.buyer_org_id);
    }
    return b;
}

}  // namespace

Result<ScheduleView> EventService::run_schedule(const core::Actor& actor, std::int64_t event_id,
                                                double time_limit_seconds) {
    if (auto s = require_organiser(actor); !s) return s.error();
    // Read what the scheduler needs, solve outside any transaction, then write.
    auto d = fetch<EventDetails>(db_, [&](Connection& c) { return load(c, event_id); });
    if (!d) return d.error();
    if (d->event.status != "published") return Error::Conflict("Publiez l'événement avant de planifier.");
    if (d->slots.empty())
        return Error::Conflict(
            "Le programme n'a pas de séquence de rendez-vous d'affaires : ajoutez-en une avec ses créneaux.");
    struct Inputs {
        std::vector<ev::ParticipantRecord> participants;
        std::vector<ev::RequestRecord> requests;
        std::vector<ev::MeetingRecord> meetings;
        std::set<std::int64_t> pitchers;
    };
    auto in = fetch<Inputs>(db_, [&](Connection& c) -> Result<Inputs> {
        Inputs x;
        if (auto n = ev::expire_requests(c, event_id, d->event.requests_deadline, clock_.now()); !n) return n.error();
        auto ps = ev::participants(c, event_id);
        if (!ps) return ps.error();
        auto rs = ev::requests(c, event_id);
        if (!rs) return rs.error();
        auto ms = ev::meetings(c, event_id);
        if (!ms) return ms.error();
        auto pitchers = storage::pitches::selected_orgs(c, event_id);
        if (!pitchers) return pitchers.error();
        x.participants = std::move(ps.value());
        x.requests = std::move(rs.value());
        x.meetings = std::move(ms.value());
        x.pitchers = std::move(pitchers.value());
        return x;
    });
    if (!in) return in.error();
    const Built b = build_instance(d.value(), in->participants, in->requests, in->pitchers);
    std::map<std::int64_t, int> position;  // request id -> instance request
    for (std::size_t i = 0; i < b.request_ids.size(); ++i) position[b.request_ids[i]] = static_cast<int>(i);

    sched::Options opt;
    opt.time_limit_seconds = time_limit_seconds;
    std::map<std::int64_t, const ev::MeetingRecord*> before;
    for (const auto& m : in->meetings) {
        before[m.request_id] = &m;
        auto p = position.find(m.request_id);
        if (p == position.end() || m.slot >= b.instance.num_slots) continue;
        if (m.pinned) opt.pinned.push_back({p->second, m.slot});
        if (m.announced_slot && *m.announced_slot < b.instance.num_slots)
            opt.previous.push_back({p->second, *m.announced_slot});
    }
    // A pinned meeting that no longer fits (a side became unavailable) is unpinned rather than failing.
    {
        std::vector<sched::Assignment> kept;
        for (const auto& a : opt.pinned) {
            kept.push_back(a);
            if (!sched::check(b.instance, kept).empty()) kept.pop_back();
        }
        opt.pinned = std::move(kept);
    }
    const sched::Schedule s = sched::solve(b.instance, opt);
    if (auto why = sched::check(b.instance, s.assignments); !why.empty())
        return Error::Internal("Le planning calculé n'est pas valide : " + why);

    std::vector<ce::PlacedMeeting> placed;
    for (const auto& a : s.assignments)
        placed.push_back({b.request_ids[static_cast<std::size_t>(a.request_id)],
                          b.buyer_of[static_cast<std::size_t>(a.request_id)], a.slot});
    const auto tables = ce::assign_tables(placed, d->tables);
    std::vector<ev::MeetingRecord> rows;
    for (std::size_t i = 0; i < placed.size(); ++i) {
        ev::MeetingRecord m;
        m.request_id = placed[i].request_id;
        m.slot = placed[i].slot;
        m.table_number = tables[i];
        if (auto it = before.find(m.request_id); it != before.end()) {
            m.pinned = it->second->pinned &&
                       std::any_of(opt.pinned.begin(), opt.pinned.end(), [&](const sched::Assignment& a) {
                           return b.request_ids[static_cast<std::size_t>(a.request_id)] == m.request_id;
                       });
            m.announced_slot = it->second->announced_slot;
            m.announced_table = it->second->announced_table;
        }
        rows.push_back(std::move(m));
    }
    std::optional<ScheduleView> out;
    Status st = db_.transaction([&](Connection& c) -> Status {
        if (auto x = ev::replace_meetings(c, event_id, rows); !x) return x;
        if (auto x = ev::set_schedule_run(c, event_id, s.objective, s.upper_bound, s.method, clock_.now()); !x)
            return x;
        auto v = schedule_view(c, event_id);
        if (!v) return v.error();
        out = std::move(v.value());
        return {};
    });
    if (!st) return st.error();
    return std::move(*out);
}

Status EventService::move_meeting(const core::Actor& actor, std::int64_t request_id, int slot) {
    if (auto s = require_organiser(actor); !s) return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto q = ev::find_request(c, request_id);
        if (!q) return q.error();
        if (!q.value()) return Error::NotFound("Ce rendez-vous n'existe pas.");
        const auto event_id = q.value()->event_id;
        auto d = load(c, event_id);
        if (!d) return d.error();
        if (slot < 0 || slot >= static_cast<int>(d->slots.size())) return Error::Invalid("Ce créneau n'existe pas.");
        auto ps = ev::participants(c, event_id);
        if (!ps) return ps.error();
        auto rs = ev::requests(c, event_id);
        if (!rs) return rs.error();
        auto ms = ev::meetings(c, event_id);
        if (!ms) return ms.error();
        auto pitchers = storage::pitches::selected_orgs(c, event_id);
        if (!pitchers) return pitchers.error();
        const Built b = build_instance(d.value(), ps.value(), rs.value(), pitchers.value());
        std::map<std::int64_t, int> position;
        for (std::size_t i = 0; i < b.request_ids.size(); ++i) position[b.request_ids[i]] = static_cast<int>(i);
        if (!position.count(request_id)) return Error::Conflict("Ce rendez-vous n'est pas accepté.");
        std::vector<sched::Assignment> a;
        std::vector<ce::PlacedMeeting> placed;
        bool found = false;
        for (const auto& m : ms.value()) {
            auto p = position.find(m.request_id);
            if (p == position.end()) continue;
            const int to = m.request_id == request_id ? slot : m.slot;
            found = found || m.request_id == request_id;
            a.push_back({p->second, to});
            placed.push_back({m.request_id, m.buyer_org_id, to});
        }
        if (!found) return Error::NotFound("Ce rendez-vous n'est pas dans le planning : lancez la planification.");
        if (auto why = sched::check(b.instance, a); !why.empty()) {
            // Say in French who is busy or absent then.
            const auto& r = rs.value();
            const auto it = std::find_if(r.begin(), r.end(), [&](const auto& x) { return x.id == request_id; });
            std::string msg = "Ce déplacement crée un conflit au créneau de " +
                              core::format_time_fr(d->slots[static_cast<std::size_t>(slot)].starts_at) + " : ";
            for (const auto& m : ms.value())
                if (m.request_id != request_id && m.slot == slot && it != r.end() &&
                    (m.company_org_id == it->company_org_id || m.buyer_org_id == it->buyer_org_id))
                    return Error::Conflict(msg +
                                           (m.company_org_id == it->company_org_id ? m.company_name : m.buyer_name) +
                                           " a déjà un rendez-vous.");
            if (it != r.end() && !b.instance.attends_both(b.instance.requests[position[request_id]], slot))
                return Error::Conflict(msg + "l'un des deux participants n'est pas disponible.");
            return Error::Conflict(msg + "toutes les tables sont prises.");
        }
        const auto tables = ce::assign_tables(placed, d->tables);
        for (std::size_t i = 0; i < placed.size(); ++i)
            if (auto s = ev::set_meeting_slot(c, placed[i].request_id, placed[i].slot, tables[i]); !s) return s;
        return {};
    });
}

Status EventService::pin_meeting(const core::Actor& actor, std::int64_t request_id, bool pinned) {
    if (auto s = require_organiser(actor); !s) return s;
    return db_.transaction([&](Connection& c) -> Status { return ev::set_meeting_pinned(c, request_id, pinned); });
}

Status EventService::publish_schedule(const core::Actor& actor, std::int64_t event_id) {
    if (auto s = require_organiser(actor); !s) return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto d = load(c, event_id);
        if (!d) return d.error();
        auto ms = ev::meetings(c, event_id);
        if (!ms) return ms.error();
        if (ms.value().empty()) return Error::Conflict("Le planning est vide : lancez d'abord la planification.");
        if (auto s = ev::announce_meetings(c, event_id); !s) return s;
        if (auto s = ev::set_schedule_published(c, event_id, clock_.now()); !s) return s;
        // Each organisation's agenda by e-mail.
        std::map<std::int64_t, std::vector<const ev::MeetingRecord*>> by_org;
        std::map<std::int64_t, std::string> names;
        for (const auto& m : ms.value()) {
            by_org[m.company_org_id].push_back(&m);
            by_org[m.buyer_org_id].push_back(&m);
            names[m.company_org_id] = m.company_name;
            names[m.buyer_org_id] = m.buyer_name;
        }
        const bool again = d->event.schedule_published_at.has_value();
        for (const auto& [org, list] : by_org) {
            std::string body = "Bonjour,\n\n" + std::string(again ? "Le planning des rendez-vous a changé. " : "") +
                               "Voici l'agenda de " + names[org] + " pour « " + d->event.title + " » (" +
                               core::format_date_fr(d->event.starts_at) + ", " + d->event.place + ") :\n\n";
            for (const auto* m : list) {
                const auto& slot = d->slots[static_cast<std::size_t>(m->slot)];
                body += "- " + core::format_time_fr(slot.starts_at) + " – " + core::format_time_fr(slot.ends_at) +
                        ", table " + std::to_string(m->table_number) + " : " +
                        (org == m->company_org_id ? m->buyer_name : m->company_name) +
                        (m->topic_title.empty() ? "" : " (" + m->topic_title + ")") + "\n";
            }
            const std::string base = base_url_ + "/mon-espace/evenements/" + std::to_string(event_id);
            body += "\nVotre agenda en ligne (et son code QR d'émargement) : " + base +
                    "/agenda?organisation=" + std::to_string(org) + "\nPour votre calendrier (iCalendar) : " + base +
                    "/agenda.ics?organisation=" + std::to_string(org) + "\n\nL'équipe Passerelle\n";
            // The calendar file goes with it, with the slots just announced.
            std::vector<ev::MeetingRecord> mine;
            for (const auto* m : list) mine.push_back(*m);
            const auto ics = calendar(d.value(), org, names[org], mine);
            if (auto s = mail_org(c, event_id, org, "Votre agenda : " + d->event.title, body,
                                  {{"agenda.ics", "text/calendar; charset=utf-8", base64(ics)}});
                !s)
                return s;
        }
        return {};
    });
}

// ---- Agendas and check-in ----

Result<Agenda> EventService::agenda(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id) {
    if (actor.anonymous()) return kLoginRequired;
    return fetch<Agenda>(db_, [&](Connection& c) -> Result<Agenda> {
        Agenda a;
        auto d = load(c, event_id);
        if (!d) return d.error();
        if (d->event.status == "draft" && !organiser(actor)) return kNoEvent;
        a.details = std::move(d.value());
        auto me = participant_for(c, actor, event_id, org_id);
        if (!me) return me.error();
        a.org_id = org_id;
        a.org_name = me->org_name;
        a.published = a.details.event.schedule_published_at.has_value();
        auto ms = ev::meetings(c, event_id, org_id);
        if (!ms) return ms.error();
        a.meetings = as_announced(std::move(ms.value()));
        auto r = ev::registration_of(c, event_id, *actor.user_id);
        if (!r) return r.error();
        if (r.value() && r.value()->status == "confirmed") a.registration = std::move(r.value());
        a.feedback_open = a.published && clock_.now() >= a.details.event.starts_at;
        auto fb = ev::feedback(c, event_id, org_id);
        if (!fb) return fb.error();
        for (auto& f : fb.value()) a.feedback[f.request_id] = std::move(f);
        return a;
    });
}

Result<std::string> EventService::agenda_ics(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id) {
    auto a = agenda(actor, event_id, org_id);
    if (!a) return a.error();
    return calendar(a->details, org_id, a->org_name, a->meetings);
}

std::string EventService::calendar(const EventDetails& d, std::int64_t org_id, const std::string& org_name,
                                   const std::vector<ev::MeetingRecord>& meetings) const {
    const auto& e = d.event;
    const std::string where = e.place + (e.address.empty() ? "" : ", " + e.address);
    const std::string page = base_url_ + "/evenements/" + std::to_string(e.id);
    std::vector<CalendarEntry> entries;
    entries.push_back(
        {"event-" + std::to_string(e.id) + "@passerelle", e.starts_at, e.ends_at, e.title, where, e.summary, page});
    for (const auto& m : meetings) {
        if (m.slot < 0 || m.slot >= static_cast<int>(d.slots.size())) continue;  // the programme changed
        const auto& slot = d.slots[static_cast<std::size_t>(m.slot)];
        const std::string other = org_id == m.company_org_id ? m.buyer_name : m.company_name;
        entries.push_back({"meeting-" + std::to_string(m.request_id) + "@passerelle", slot.starts_at, slot.ends_at,
                           "Rendez-vous : " + other + " (table " + std::to_string(m.table_number) + ")", where,
                           m.topic_title.empty() ? e.title : m.topic_title + " — " + e.title, page});
    }
    return icalendar(e.title + " — " + org_name, entries, clock_.now());
}

Result<std::string> EventService::checkin_qr(const core::Actor& actor, std::int64_t event_id) {
    auto r = my_registration(actor, event_id);
    if (!r) return r.error();
    if (!r.value() || r.value()->status != "confirmed")
        return Error::NotFound("Vous n'avez pas d'inscription confirmée à cet événement.");
    return qr_svg(checkin_url(event_id, r.value()->checkin_code));
}

Result<ev::RegistrationRecord> EventService::check_in(const core::Actor& actor, std::int64_t event_id,
                                                      const std::string& raw) {
    if (auto s = require_organiser(actor); !s) return s.error();
    std::string code;
    // The code, or the link of the QR image (scanned into the field).
    std::string text = core::trim(raw);
    if (auto p = text.find("code="); p != std::string::npos) text = text.substr(p + 5);
    for (char ch : text)
        if (std::isalnum(static_cast<unsigned char>(ch))) code += static_cast<char>(std::toupper(ch));
    if (code.empty())
        return Error::Invalid(
            "Saisissez ou scannez le code d'émargement.",
            {{"code", "Saisissez le code d'émargement (lettres et chiffres) ou scannez le code QR."}});
    if (code.size() > 64)
        return Error::Invalid("Code inconnu.", {{"code", "Ce texte n'est pas un code d'émargement."}});
    std::optional<ev::RegistrationRecord> out;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto r = ev::registration_by_code(c, event_id, code);
        if (!r) return r.error();
        if (!r.value())  // a typing error, not a missing page: said beside the field, the code kept
            return Error::Invalid("Code inconnu.",
                                  {{"code", "Aucune inscription à cet événement n'a le code " + code + "."}});
        if (r.value()->status != "confirmed")
            return Error::Conflict("L'inscription de " + r.value()->user_name + " n'est pas confirmée (" +
                                   ce::registration_status_label(r.value()->status) + ").");
        out = *r.value();
        if (out->checked_in_at) return {};  // already there: nothing changes
        out->checked_in_at = clock_.now();
        out->no_show = false;
        return ev::set_checked_in(c, out->id, out->checked_in_at, false, clock_.now());
    });
    if (!st) return st.error();
    return std::move(*out);
}

Status EventService::mark_attendance(const core::Actor& actor, std::int64_t registration_id, const std::string& mark) {
    if (auto s = require_organiser(actor); !s) return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto r = ev::find_registration(c, registration_id);
        if (!r) return r.error();
        if (!r.value()) return Error::NotFound("Cette inscription n'existe pas.");
        if (r.value()->status != "confirmed") return Error::Conflict("Cette inscription n'est pas confirmée.");
        if (mark == "present") return ev::set_checked_in(c, registration_id, clock_.now(), false, clock_.now());
        if (mark == "absent") return ev::set_checked_in(c, registration_id, std::nullopt, true, clock_.now());
        if (mark == "effacer") return ev::set_checked_in(c, registration_id, std::nullopt, false, clock_.now());
        return Error::Invalid("Action inconnue.");
    });
}

Result<std::vector<LiveSlot>> EventService::live(const core::Actor& actor, std::int64_t event_id) {
    if (auto s = require_organiser(actor); !s) return s.error();
    return fetch<std::vector<LiveSlot>>(db_, [&](Connection& c) -> Result<std::vector<LiveSlot>> {
        auto d = load(c, event_id);
        if (!d) return d.error();
        auto ps = ev::participants(c, event_id);
        if (!ps) return ps.error();
        std::set<std::int64_t> present;
        for (const auto& p : ps.value())
            if (p.present) present.insert(p.org_id);
        auto ms = ev::meetings(c, event_id);
        if (!ms) return ms.error();
        std::vector<LiveSlot> out;
        for (const auto& s : d->slots) out.push_back({s, {}});
        for (auto& m : as_announced(std::move(ms.value()))) {
            if (m.slot < 0 || m.slot >= static_cast<int>(out.size())) continue;
            LiveSlot::Item it{m, present.count(m.company_org_id) > 0, present.count(m.buyer_org_id) > 0};
            out[static_cast<std::size_t>(m.slot)].items.push_back(std::move(it));
        }
        return out;
    });
}

Status EventService::give_feedback(const core::Actor& actor, std::int64_t request_id, std::int64_t org_id, bool held,
                                   const std::string& usefulness, bool follow_up, const std::string& comment_raw) {
    if (actor.anonymous()) return kLoginRequired;
    if (!actor.membership(org_id)) return Error::Forbidden("Vous n'êtes pas membre de cette organisation.");
    auto rating = ce::parse_usefulness(usefulness, held);
    if (!rating) return rating.error();
    const std::string comment = core::trim(comment_raw);
    if (core::utf8_length(comment) > 1000 || !core::is_clean_text(comment))
        return Error::Invalid("Le commentaire fait au plus 1 000 caractères.");
    return db_.transaction([&](Connection& c) -> Status {
        auto q = ev::find_request(c, request_id);
        if (!q) return q.error();
        if (!q.value() || (q.value()->company_org_id != org_id && q.value()->buyer_org_id != org_id))
            return Error::NotFound("Ce rendez-vous n'est pas le vôtre.");
        auto e = ev::find_event(c, q.value()->event_id);
        if (!e) return e.error();
        auto ms = ev::meetings(c, q.value()->event_id, org_id);
        if (!ms) return ms.error();
        const bool announced = std::any_of(ms.value().begin(), ms.value().end(), [&](const auto& m) {
            return m.request_id == request_id && m.announced_slot.has_value();
        });
        if (!announced) return Error::NotFound("Ce rendez-vous n'est pas dans le planning publié.");
        if (clock_.now() < e.value()->starts_at)
            return Error::Conflict("Vous pourrez donner votre avis une fois l'événement commencé.");
        return ev::save_feedback(c, {request_id, org_id, held, rating.value(), follow_up, comment, clock_.now()});
    });
}

Result<EventResults> EventService::results(const core::Actor& actor, std::int64_t event_id) {
    if (auto s = require_organiser(actor); !s) return s.error();
    return fetch<EventResults>(db_, [&](Connection& c) -> Result<EventResults> {
        EventResults out;
        auto d = load(c, event_id);
        if (!d) return d.error();
        out.details = std::move(d.value());
        auto regs = ev::registrations(c, event_id);
        if (!regs) return regs.error();
        std::set<std::int64_t> present_orgs;
        for (const auto& r : regs.value()) {
            if (r.status == "confirmed") {
                ++(r.role == "buyer" ? out.confirmed_buyers : out.confirmed_companies);
                if (r.checked_in_at) {
                    ++out.present;
                    present_orgs.insert(r.org_id);
                }
                if (r.no_show) ++out.no_shows;
            }
            if (r.status == "waitlisted") ++out.waitlisted;
            if (r.status == "cancelled") ++out.cancelled;
            if (r.status == "refused") ++out.refused;
        }
        auto apps = storage::pitches::applications(c, event_id);
        if (!apps) return apps.error();
        for (const auto& a : apps.value()) {
            ++out.pitch_applications;
            if (a.status == "selected") ++out.pitch_selected;
        }
        auto rs = ev::requests(c, event_id);
        if (!rs) return rs.error();
        for (const auto& r : rs.value()) {
            ++out.requests;
            const auto st = ce::effective_request_status(r.status, out.details.event.requests_deadline, clock_.now());
            if (st == "accepted") ++out.accepted;
            if (st == "declined") ++out.declined;
            if (st == "expired") ++out.expired;
            if (r.mutual) ++out.mutual;
        }
        auto ms = ev::meetings(c, event_id);
        if (!ms) return ms.error();
        const auto meetings = as_announced(std::move(ms.value()));
        auto fb = ev::feedback(c, event_id);
        if (!fb) return fb.error();
        std::vector<ce::SideFeedback> sides;
        std::map<std::int64_t, std::vector<const ev::FeedbackRecord*>> by_meeting;
        for (const auto& f : fb.value()) {
            sides.push_back({f.request_id, f.held, f.usefulness, f.follow_up});
            by_meeting[f.request_id].push_back(&f);
        }
        out.feedback = ce::summarise_feedback(sides);
        out.table.push_back({"Créneau", "Table", "Entreprise", "Acheteur", "Sujet", "Entreprise présente",
                             "Acheteur présent", "A eu lieu (avis)", "Utilité (entreprise)", "Utilité (acheteur)",
                             "Suite prévue"});
        for (const auto& m : meetings) {
            out.scheduled += 1;
            const bool company_here = present_orgs.count(m.company_org_id) > 0;
            const bool buyer_here = present_orgs.count(m.buyer_org_id) > 0;
            if (company_here && buyer_here) ++out.both_present;
            std::string held, company_rating, buyer_rating, follow = "non";
            for (const auto* f : by_meeting[m.request_id]) {
                if (f->held)
                    held = "oui";
                else if (held.empty())
                    held = "non";
                if (f->follow_up) follow = "oui";
                const std::string rating = f->usefulness ? std::to_string(*f->usefulness) : "";
                (f->org_id == m.company_org_id ? company_rating : buyer_rating) = rating;
            }
            const bool in_range = m.slot >= 0 && m.slot < static_cast<int>(out.details.slots.size());
            out.table.push_back(
                {in_range ? core::format_time_fr(out.details.slots[static_cast<std::size_t>(m.slot)].starts_at) : "",
                 std::to_string(m.table_number), m.company_name, m.buyer_name, m.topic_title,
                 company_here ? "oui" : "non", buyer_here ? "oui" : "non", held, company_rating, buyer_rating, follow});
        }
        return out;
    });
}

Result<int> EventService::send_reminders() {
    auto due = fetch<std::vector<std::int64_t>>(
        db_, [&](Connection& c) { return ev::events_due_reminder(c, clock_.now(), 24 * 3600); });
    if (!due) return due.error();
    int sent = 0;
    for (const auto id : due.value()) {
        Status st = db_.transaction([&](Connection& c) -> Status {
            auto claimed = ev::claim_reminder(c, id, clock_.now());
            if (!claimed) return claimed.error();
            if (!claimed.value()) return {};
            auto d = load(c, id);
            if (!d) return d.error();
            const auto& e = d->event;
            auto regs = ev::registrations(c, id, "confirmed");
            if (!regs) return regs.error();
            for (const auto& r : regs.value()) {
                const std::string space = base_url_ + "/mon-espace/evenements/" + std::to_string(id);
                std::string body = "Bonjour " + r.user_name + ",\n\nRappel : « " + e.title + " » a lieu le " +
                                   core::format_datetime_fr(e.starts_at) + ", " + e.place +
                                   (e.address.empty() ? "" : " (" + e.address + ")") +
                                   ".\n\nVotre code d'émargement : " + r.checkin_code +
                                   "\nVotre agenda et son code QR : " + space +
                                   "/agenda?organisation=" + std::to_string(r.org_id) +
                                   "\n\nSi vous ne pouvez plus venir, annulez votre "
                                   "inscription pour libérer votre place :\n" +
                                   base_url_ + "/evenements/" + std::to_string(id) + "\n\nL'équipe Passerelle\n";
                auto q = storage::outbox::enqueue(c, r.user_email, "Rappel : " + e.title, body, clock_.now());
                if (!q) return q.error();
                ++sent;
            }
            return {};
        });
        if (!st) return st.error();
    }
    return sent;
}

void EventService::start_reminders(int period_ms) {
    loop_.start(
        [this] {
            auto n = send_reminders();
            if (!n) spdlog::warn("event reminders: {}", n.error().message);
        },
        std::chrono::milliseconds(period_ms));
}

}  // namespace passerelle::app
