#include "app/pitches.hpp"

#include <algorithm>
#include <set>

#include "core/document.hpp"
#include "core/french.hpp"
#include "core/validation.hpp"
#include "storage/accounts_store.hpp"
#include "storage/event_store.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"

namespace passerelle::app {

using core::Error;
using core::Result;
using core::Status;
using storage::Connection;
using storage::fetch;
namespace cp = core::pitches;

namespace {
const Error kNoCall = Error::NotFound("Cet événement n'a pas d'appel à pitchs.");
bool organiser(const core::Actor& a) { return core::allowed(a, core::Action::kManageEvents); }
}  // namespace

Status PitchService::require_organiser(const core::Actor& actor) const {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour gérer l'appel à pitchs.");
    if (!organiser(actor)) return Error::Forbidden("L'appel à pitchs est géré par les organisateurs.");
    return {};
}

Result<PitchCall> PitchService::load(Connection& c, std::int64_t event_id) {
    PitchCall out;
    auto k = pt::find_call(c, event_id);
    if (!k) return k.error();
    out.call = std::move(k.value());
    auto grid = pt::criteria(c, event_id);
    if (!grid) return grid.error();
    out.criteria = std::move(grid.value());
    auto scored = pt::count_scores(c, event_id);
    if (!scored) return scored.error();
    out.grid_locked = scored.value() > 0;
    out.open = out.call && !out.call->released_at && clock_.now() < out.call->closes_at;
    return out;
}

Result<PitchCall> PitchService::call(std::int64_t event_id) {
    return fetch<PitchCall>(db_, [&](Connection& c) { return load(c, event_id); });
}

Status PitchService::save_call(const core::Actor& actor, std::int64_t event_id, const cp::CallInput& in,
                               const std::vector<cp::CriterionInput>& criteria_in) {
    if (auto s = require_organiser(actor); !s) return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto e = storage::events::find_event(c, event_id);
        if (!e) return e.error();
        if (!e.value()) return Error::NotFound("Cet événement n'existe pas.");
        auto call = cp::validate_call(in, e.value()->starts_at);
        auto grid = cp::validate_criteria(criteria_in);
        auto current = load(c, event_id);
        if (!current) return current.error();
        // Both forms' errors at once; the grid is not checked once it is locked.
        core::FieldErrors errors;
        if (!call) errors = call.error().fields;
        if (!current->grid_locked && !grid)
            for (const auto& [k, v] : grid.error().fields) errors[k] = v;
        if (!errors.empty()) return Error::Invalid("L'appel à pitchs contient des erreurs.", std::move(errors));
        if (current->call && current->call->released_at)
            return Error::Conflict("Les décisions sont publiées : l'appel à pitchs est clos.");
        pt::CallRecord r{event_id, call->places, call->closes_at, call->blind, std::nullopt};
        if (auto s = pt::save_call(c, r); !s) return s;
        if (current->grid_locked) return {};
        return pt::replace_criteria(c, event_id, grid.value());
    });
}

Status PitchService::add_juror(const core::Actor& actor, std::int64_t event_id, const std::string& email_raw) {
    if (auto s = require_organiser(actor); !s) return s;
    const auto email = core::normalize_email(email_raw);
    if (!email) return Error::Invalid("Adresse e-mail invalide.", {{"email", "Indiquez l'e-mail d'un juré."}});
    return db_.transaction([&](Connection& c) -> Status {
        auto k = pt::find_call(c, event_id);
        if (!k) return k.error();
        if (!k.value()) return Error::Conflict("Ouvrez d'abord l'appel à pitchs.");
        auto u = storage::accounts::find_user_by_email(c, *email);
        if (!u) return u.error();
        if (!u.value())
            return Error::Invalid("Personne n'a de compte avec cette adresse.",
                                  {{"email", "Aucun compte Passerelle avec l'adresse " + *email + "."}});
        const auto& roles = u.value()->roles;
        bool eligible = std::find(roles.begin(), roles.end(), "organiser") != roles.end();
        auto ms = storage::orgs::memberships_of_user(c, u.value()->id);
        if (!ms) return ms.error();
        for (const auto& m : ms.value()) eligible = eligible || (m.org_kind == "buyer" && m.status == "active");
        if (!eligible)
            return Error::Invalid("Ce compte ne peut pas être juré.",
                                  {{"email", "Le jury réunit des organisateurs et des agents d'acheteurs publics."}});
        if (auto s = pt::add_juror(c, event_id, u.value()->id); !s) return s;
        const std::string page = base_url_ + "/mon-espace/evenements/" + std::to_string(event_id) + "/jury";
        return storage::to_status(storage::outbox::enqueue(
            c, u.value()->email, "Vous êtes juré de l'appel à pitchs",
            "Bonjour " + u.value()->display_name +
                ",\n\nVous faites partie du jury de l'appel à pitchs. Notez les candidatures sur la grille de "
                "l'organisateur (vous ne voyez pas les notes des autres jurés) ; en cas de conflit d'intérêts, "
                "abstenez-vous pour la candidature concernée.\n\n" +
                page + "\n\nL'équipe Passerelle\n",
            clock_.now()));
    });
}

Status PitchService::remove_juror(const core::Actor& actor, std::int64_t event_id, std::int64_t user_id) {
    if (auto s = require_organiser(actor); !s) return s;
    return db_.transaction([&](Connection& c) -> Status { return pt::remove_juror(c, event_id, user_id); });
}

Result<PitchBoard> PitchService::board(const core::Actor& actor, std::int64_t event_id) {
    if (auto s = require_organiser(actor); !s) return s.error();
    return fetch<PitchBoard>(db_, [&](Connection& c) -> Result<PitchBoard> {
        PitchBoard b;
        auto k = load(c, event_id);
        if (!k) return k.error();
        b.call = std::move(k.value());
        auto js = pt::jurors(c, event_id);
        if (!js) return js.error();
        b.jurors = std::move(js.value());
        auto apps = pt::applications(c, event_id);
        if (!apps) return apps.error();
        auto rv = pt::reviews(c, event_id);
        if (!rv) return rv.error();
        std::vector<std::int64_t> ids;
        std::map<std::int64_t, pt::ApplicationRecord> by_id;
        for (auto& a : apps.value()) {
            if (a.status == "withdrawn") continue;
            ids.push_back(a.id);
            by_id[a.id] = std::move(a);
        }
        for (const auto& r : cp::rank(b.call.criteria, ids, rv.value()))
            b.ranking.push_back({std::move(by_id[r.application]), r});
        return b;
    });
}

Status PitchService::release(const core::Actor& actor, std::int64_t event_id, const std::vector<std::int64_t>& selected,
                             const std::map<std::int64_t, std::string>& reasons) {
    if (auto s = require_organiser(actor); !s) return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto k = load(c, event_id);
        if (!k) return k.error();
        if (!k->call) return kNoCall;
        if (k->call->released_at) return Error::Conflict("Les décisions ont déjà été publiées.");
        const std::set<std::int64_t> chosen(selected.begin(), selected.end());
        auto apps = pt::applications(c, event_id);
        if (!apps) return apps.error();
        // Every problem at once, each on its field: the choice as a whole ("selected"), each reason on its row.
        core::FieldErrors errors;
        if (chosen.empty())
            errors["selected"] = "Retenez au moins une candidature.";
        else if (static_cast<int>(chosen.size()) > k->call->places)
            errors["selected"] = "Vous avez retenu " + std::to_string(chosen.size()) + " candidatures pour " +
                                 std::to_string(k->call->places) + " pitchs.";
        for (auto id : chosen)
            if (std::none_of(apps.value().begin(), apps.value().end(), [&](const auto& a) { return a.id == id; }))
                errors["selected"] = "Une candidature retenue n'appartient pas à cet événement.";
        for (const auto& a : apps.value()) {
            if (a.status != "submitted" || chosen.count(a.id)) continue;
            auto it = reasons.find(a.id);
            const std::string reason = it == reasons.end() ? "" : core::trim(it->second);
            if (core::utf8_length(reason) > 500)
                errors["reason." + std::to_string(a.id)] = "Un motif fait au plus 500 caractères.";
            else if (!core::is_clean_text(reason))
                errors["reason." + std::to_string(a.id)] = "Ce motif contient des caractères non autorisés.";
        }
        if (!errors.empty()) return Error::Invalid("Les décisions ne sont pas publiées.", std::move(errors));
        auto e = storage::events::find_event(c, event_id);
        if (!e) return e.error();
        const std::string title = e.value() ? e.value()->title : "";
        const std::string page = base_url_ + "/evenements/" + std::to_string(event_id);
        for (const auto& a : apps.value()) {
            if (a.status != "submitted") continue;
            const bool kept = chosen.count(a.id) > 0;
            std::string reason;
            if (!kept) {
                auto it = reasons.find(a.id);
                reason = it == reasons.end() ? "" : core::trim(it->second);
            }
            if (auto s = pt::decide(c, a.id, kept ? "selected" : "declined", reason, clock_.now()); !s) return s;
            if (a.user_email.empty()) continue;
            const std::string body =
                "Bonjour,\n\n" +
                (kept ? "Bonne nouvelle : la candidature de " + a.org_name + " est retenue pour pitcher à « " + title +
                            " ». L'organisateur vous précisera l'ordre de passage."
                      : "La candidature de " + a.org_name + " n'a pas été retenue pour pitcher à « " + title + " »." +
                            (reason.empty() ? "" : "\nMotif : " + reason) +
                            "\nVous restez bien sûr le bienvenu aux rendez-vous d'affaires.") +
                "\n\n" + page + "\n\nL'équipe Passerelle\n";
            if (auto q = storage::outbox::enqueue(c, a.user_email,
                                                  std::string(kept ? "Pitch retenu : " : "Pitch non retenu : ") + title,
                                                  body, clock_.now());
                !q)
                return q.error();
        }
        return pt::set_released(c, event_id, clock_.now());
    });
}

Result<std::int64_t> PitchService::apply(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id,
                                         const cp::ApplicationInput& raw, const std::optional<Upload>& file) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour candidater.");
    const auto* m = actor.membership(org_id);
    if (!m || m->org_kind != core::OrgKind::kCompany)
        return Error::Forbidden("Seule une entreprise dont vous êtes membre peut candidater pour pitcher.");
    auto in = cp::validate_application(raw);
    if (!in) return in.error();
    pt::ApplicationRecord r;
    r.event_id = event_id;
    r.org_id = org_id;
    r.user_id = actor.user_id;
    r.summary = in->summary;
    r.innovation = in->innovation;
    r.references = in->references;
    if (file && file->bytes.empty() && !file->filename.empty())
        return Error::Invalid("Votre candidature contient des erreurs.",
                              {{"file", core::empty_file_message(file->filename)}});
    if (file && !file->bytes.empty()) {
        if (static_cast<std::int64_t>(file->bytes.size()) > kMaxFileBytes)
            return Error::Invalid("Votre candidature contient des erreurs.",
                                  {{"file", "Le fichier ne doit pas dépasser 10 Mo."}});
        auto type = core::sniff_document(file->bytes, file->filename);
        if (!type)
            return Error::Invalid("Votre candidature contient des erreurs.",
                                  {{"file",
                                    "Format refusé : PDF, documents Word/Excel/OpenDocument, archives ZIP et "
                                    "images PNG/JPEG seulement."}});
        r.file_name = core::safe_filename(file->filename);
        r.file_type = type->mime;
        r.file_size = static_cast<std::int64_t>(file->bytes.size());
    }
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto k = load(c, event_id);
        if (!k) return k.error();
        if (!k->call) return kNoCall;
        if (!k->open)
            return Error::Conflict("L'appel à pitchs est clos depuis le " +
                                   core::format_datetime_fr(k->call->closes_at) + ".");
        auto e = storage::events::find_event(c, event_id);
        if (!e) return e.error();
        if (!e.value() || e.value()->status != "published") return Error::NotFound("Cet événement n'existe pas.");
        auto existing = pt::application_of(c, event_id, org_id);
        if (!existing) return existing.error();
        if (existing.value()) return Error::Conflict("Votre entreprise a déjà candidaté.");
        if (!r.file_name.empty()) {
            auto sha = blobs_.put(file->bytes);
            if (!sha) return sha.error();
            r.file_sha256 = sha.value();
        }
        auto inserted = pt::insert_application(c, r, clock_.now());
        if (!inserted) return inserted.error();
        id = inserted.value();
        return {};
    });
    if (!st) return st.error();
    return id;
}

Result<std::vector<pt::ApplicationRecord>> PitchService::mine(const core::Actor& actor, std::int64_t event_id) {
    std::vector<pt::ApplicationRecord> out;
    if (actor.anonymous()) return out;
    Status st = db_.with_connection([&](Connection& c) -> Status {
        for (const auto& m : actor.memberships) {
            if (m.org_kind != core::OrgKind::kCompany) continue;
            auto a = pt::application_of(c, event_id, m.org_id);
            if (!a) return a.error();
            if (a.value()) out.push_back(std::move(*a.value()));
        }
        return {};
    });
    if (!st) return st.error();
    return out;
}

bool PitchService::is_juror(const core::Actor& actor, std::int64_t event_id) {
    if (actor.anonymous()) return false;
    auto j = fetch<bool>(db_, [&](Connection& c) { return pt::is_juror(c, event_id, *actor.user_id); });
    return j && j.value();
}

Result<JuryView> PitchService::jury(const core::Actor& actor, std::int64_t event_id) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour noter les candidatures.");
    return fetch<JuryView>(db_, [&](Connection& c) -> Result<JuryView> {
        auto juror = pt::is_juror(c, event_id, *actor.user_id);
        if (!juror) return juror.error();
        if (!juror.value()) return Error::Forbidden("Vous ne faites pas partie du jury de cet appel à pitchs.");
        JuryView v;
        auto k = load(c, event_id);
        if (!k) return k.error();
        v.call = std::move(k.value());
        auto apps = pt::applications(c, event_id);
        if (!apps) return apps.error();
        auto rv = pt::reviews(c, event_id);
        if (!rv) return rv.error();
        const bool blind = v.call.call && v.call.call->blind;
        int n = 0;
        for (auto& a : apps.value()) {
            if (a.status == "withdrawn") continue;
            JuryView::Item it;
            ++n;
            it.label = blind ? "Candidature n° " + std::to_string(n) : a.org_name;
            if (auto list = rv.value().find(a.id); list != rv.value().end())
                for (const auto& r : list->second)
                    if (r.juror == *actor.user_id) it.mine = r;  // only the juror's own review
            if (blind) {
                a.org_name.clear();
                a.user_email.clear();
            }
            it.application = std::move(a);
            v.items.push_back(std::move(it));
        }
        return v;
    });
}

Status PitchService::review(const core::Actor& actor, std::int64_t application_id, bool abstain,
                            const std::map<std::int64_t, std::string>& raw) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour noter les candidatures.");
    return db_.transaction([&](Connection& c) -> Status {
        auto a = pt::find_application(c, application_id);
        if (!a) return a.error();
        if (!a.value()) return Error::NotFound("Cette candidature n'existe pas.");
        auto juror = pt::is_juror(c, a.value()->event_id, *actor.user_id);
        if (!juror) return juror.error();
        if (!juror.value()) return Error::Forbidden("Vous ne faites pas partie du jury de cet appel à pitchs.");
        auto k = load(c, a.value()->event_id);
        if (!k) return k.error();
        if (k->call && k->call->released_at)
            return Error::Conflict("Les décisions sont publiées : les notes sont closes.");
        cp::Review r{*actor.user_id, abstain, {}};
        if (!abstain) {
            auto scores = cp::parse_scores(k->criteria, raw);
            if (!scores) return scores.error();
            r.scores = std::move(scores.value());
        }
        return pt::save_review(c, application_id, r, clock_.now());
    });
}

Result<FileDownload> PitchService::file(const core::Actor& actor, std::int64_t application_id) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour télécharger ce fichier.");
    auto a = fetch<std::optional<pt::ApplicationRecord>>(
        db_, [&](Connection& c) { return pt::find_application(c, application_id); });
    if (!a) return a.error();
    if (!a.value() || a.value()->file_sha256.empty()) return Error::NotFound("Ce fichier n'existe pas.");
    auto juror = fetch<bool>(db_, [&](Connection& c) { return pt::is_juror(c, a.value()->event_id, *actor.user_id); });
    if (!juror) return juror.error();
    if (!organiser(actor) && !juror.value() && !actor.membership(a.value()->org_id))
        return Error::Forbidden("Ce fichier est réservé au jury, aux organisateurs et à l'entreprise.");
    auto bytes = blobs_.get(a.value()->file_sha256);
    if (!bytes) return bytes.error();
    return FileDownload{a.value()->file_name, a.value()->file_type, std::move(bytes.value())};
}

}  // namespace passerelle::app
