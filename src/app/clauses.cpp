#include "app/clauses.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "app/office_formats.hpp"
#include "core/french.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"
#include "storage/accounts_store.hpp"
#include "storage/contract_store.hpp"
#include "storage/outbox_store.hpp"
#include "storage/reference_store.hpp"

namespace passerelle::app {

using core::Error;
using core::Result;
using core::Status;
using storage::Connection;
using storage::fetch;
namespace cc = core::clauses;

namespace {

bool facilitator(const core::Actor& a) { return core::allowed(a, core::Action::kFollowClauses); }

Error not_facilitator(const core::Actor& a) {
    if (a.anonymous()) return Error::Unauthenticated("Connectez-vous pour suivre les clauses sociales.");
    return Error::Forbidden("Le suivi des clauses sociales est réservé aux facilitateurs.");
}

bool member_of(const core::Actor& a, std::int64_t org) {
    const auto* m = a.membership(org);
    return m != nullptr;
}

// "2026-W48": the ISO week of a day number (days since 1970-01-01, a Thursday).
std::string iso_week(std::int64_t day) {
    const std::int64_t weekday = ((day % 7) + 7 + 3) % 7 + 1;  // Monday 1 … Sunday 7
    const std::int64_t thursday = day + (4 - weekday);
    const int year = core::to_paris(thursday * 86400 + 12 * 3600).year;
    const std::int64_t jan1 = core::from_utc(year, 1, 1) / 86400;
    const std::int64_t week = (thursday - jan1) / 7 + 1;
    return std::to_string(year) + "-W" + (week < 10 ? "0" : "") + std::to_string(week);
}

// An empty territory, or a département of the reference data.
Status departement_known(Connection& c, const std::string& code) {
    if (code.empty()) return {};
    auto all = storage::reference::list_departements(c);
    if (!all) return all.error();
    for (const auto& d : all.value())
        if (d.code == code) return {};
    return Error::Invalid("La clause contient des erreurs.", {{"departement", "Ce département n'existe pas."}});
}

constexpr const char* kHourlyCost = "clauses.hourly_cost";
constexpr const char* kInsertionRate = "clauses.insertion_rate";

}  // namespace

std::string ClauseService::today() const { return core::format_iso_day_paris(clock_.now()); }

std::vector<ClauseLine> ClauseService::lines(std::vector<cl::ClauseRecord> records) const {
    std::vector<ClauseLine> out;
    const std::string day = today();
    for (auto& r : records) {
        auto p =
            cc::progress(r.clause.hours_required, r.accepted_hours, r.clause.period_start, r.clause.period_end, day);
        out.push_back({std::move(r), p});
    }
    return out;
}

Result<ContractClauses> ClauseService::of_contract(const core::Actor& actor, std::int64_t contract_id) {
    ContractClauses out;
    out.facilitator = facilitator(actor);
    std::vector<cl::ClauseRecord> records;
    std::optional<std::int64_t> buyer;
    Status st = db_.with_connection([&](Connection& c) -> Status {
        auto k = cl::clauses_of_contract(c, contract_id);
        if (!k) return k.error();
        records = std::move(k.value());
        auto subs = cl::subcontractors(c, contract_id);
        if (!subs) return subs.error();
        out.subcontractors = std::move(subs.value());
        auto orgs = cl::declaring_orgs(c, contract_id);
        if (!orgs) return orgs.error();
        for (auto org : orgs.value())
            if (member_of(actor, org)) out.declaring_orgs.push_back(org);
        auto contract = storage::contracts::find(c, contract_id);
        if (!contract) return contract.error();
        if (!contract.value()) return Error::NotFound("Ce marché n'existe pas.");
        buyer = contract.value()->buyer_org_id;
        for (const auto& s : contract.value()->suppliers)
            if (s.org_id && member_of(actor, *s.org_id)) out.holder = true;
        return {};
    });
    if (!st) return st.error();
    out.sees_declarations = out.facilitator || !out.declaring_orgs.empty() || (buyer && member_of(actor, *buyer));
    if (out.sees_declarations) {
        Status s2 = db_.with_connection([&](Connection& c) -> Status {
            for (const auto& k : records) {
                auto d = cl::declarations_of_clause(c, k.id);
                if (!d) return d.error();
                for (auto& x : d.value()) out.declarations.push_back(std::move(x));
            }
            return {};
        });
        if (!s2) return s2.error();
    }
    out.clauses = lines(std::move(records));
    return out;
}

Result<std::int64_t> ClauseService::add(const core::Actor& actor, std::int64_t contract_id, const cc::ClauseInput& in,
                                        bool follow) {
    if (!facilitator(actor)) return not_facilitator(actor);
    auto v = cc::validate_clause(in);
    if (!v) return v.error();
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto contract = storage::contracts::find(c, contract_id);
        if (!contract) return contract.error();
        if (!contract.value()) return Error::NotFound("Ce marché n'existe pas.");
        if (auto known = departement_known(c, v->departement); !known) return known;
        cl::ClauseRecord r;
        r.contract_id = contract_id;
        r.clause = v.value();
        if (r.clause.departement.empty()) r.clause.departement = contract.value()->departement;
        if (follow) r.facilitator_user_id = actor.user_id;
        auto inserted = cl::insert_clause(c, r, clock_.now());
        if (!inserted) return inserted.error();
        id = inserted.value();
        return {};
    });
    if (!st) return st.error();
    return id;
}

Status ClauseService::update(const core::Actor& actor, std::int64_t clause_id, const cc::ClauseInput& in, bool follow) {
    if (!facilitator(actor)) return not_facilitator(actor);
    auto v = cc::validate_clause(in);
    if (!v) return v.error();
    return db_.transaction([&](Connection& c) -> Status {
        auto k = cl::find_clause(c, clause_id);
        if (!k) return k.error();
        if (!k.value()) return Error::NotFound("Cette clause n'existe pas.");
        if (auto known = departement_known(c, v->departement); !known) return known;
        auto r = *k.value();
        r.clause = v.value();
        if (follow)
            r.facilitator_user_id = actor.user_id;
        else if (r.facilitator_user_id == actor.user_id)
            r.facilitator_user_id.reset();
        return cl::update_clause(c, r, clock_.now());
    });
}

Status ClauseService::remove(const core::Actor& actor, std::int64_t clause_id) {
    if (!facilitator(actor)) return not_facilitator(actor);
    return db_.with_connection([&](Connection& c) -> Status {
        auto k = cl::find_clause(c, clause_id);
        if (!k) return k.error();
        if (!k.value()) return Error::NotFound("Cette clause n'existe pas.");
        return cl::delete_clause(c, clause_id);
    });
}

Result<cl::ClauseRecord> ClauseService::clause(std::int64_t clause_id) {
    auto k = fetch<std::optional<cl::ClauseRecord>>(db_, [&](Connection& c) { return cl::find_clause(c, clause_id); });
    if (!k) return k.error();
    if (!k.value()) return Error::NotFound("Cette clause n'existe pas.");
    return std::move(*k.value());
}

Status ClauseService::add_subcontractor(const core::Actor& actor, std::int64_t contract_id, const std::string& siret) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous.");
    std::string why;
    const auto digits = core::parse_siret(siret, &why);
    return db_.transaction([&](Connection& c) -> Status {
        auto contract = storage::contracts::find(c, contract_id);
        if (!contract) return contract.error();
        if (!contract.value()) return Error::NotFound("Ce marché n'existe pas.");
        bool holder = false;
        for (const auto& s : contract.value()->suppliers)
            if (s.org_id && member_of(actor, *s.org_id)) holder = true;
        if (!holder && !facilitator(actor))
            return Error::Forbidden("Seul le titulaire du marché (ou le facilitateur) désigne ses sous-traitants.");
        if (!digits) return Error::Invalid("Le sous-traitant n'est pas reconnu.", {{"siret", why}});
        auto org = storage::orgs::find_org_by_siret(c, *digits);
        if (!org) return org.error();
        if (!org.value() || org.value()->kind != "company")
            return Error::Invalid("Le sous-traitant n'est pas reconnu.",
                                  {{"siret",
                                    "Aucune entreprise de Passerelle n'a ce SIRET : elle doit d'abord créer son "
                                    "profil."}});
        return cl::add_subcontractor(c, contract_id, org.value()->id, clock_.now());
    });
}

Status ClauseService::remove_subcontractor(const core::Actor& actor, std::int64_t contract_id, std::int64_t org_id) {
    auto view = of_contract(actor, contract_id);
    if (!view) return view.error();
    if (!view->holder && !view->facilitator)
        return Error::Forbidden("Seul le titulaire du marché (ou le facilitateur) désigne ses sous-traitants.");
    return db_.with_connection([&](Connection& c) { return cl::remove_subcontractor(c, contract_id, org_id); });
}

Result<std::int64_t> ClauseService::declare(const core::Actor& actor, std::int64_t clause_id, std::int64_t org_id,
                                            const cc::DeclarationInput& in) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour déclarer des heures.");
    auto v = cc::validate_declaration(in, today());
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto k = cl::find_clause(c, clause_id);
        if (!k) return k.error();
        if (!k.value()) return Error::NotFound("Cette clause n'existe pas.");
        if (k.value()->clause.kind != "insertion_hours")
            return Error::Invalid("Cette clause ne demande pas d'heures d'insertion.");
        auto orgs = cl::declaring_orgs(c, k.value()->contract_id);
        if (!orgs) return orgs.error();
        const bool party = std::find(orgs->begin(), orgs->end(), org_id) != orgs->end();
        if (!party || (!member_of(actor, org_id) && !facilitator(actor)))
            return Error::Forbidden(cc::kOnlyPartiesDeclare);
        if (!v) return v.error();
        cl::DeclarationRecord r;
        r.clause_id = clause_id;
        r.declaration = v.value();
        r.declared_by = actor.user_id;
        r.declared_for_org_id = org_id;
        auto inserted = cl::insert_declaration(c, r, clock_.now());
        if (!inserted) return inserted.error();
        id = inserted.value();
        if (!k.value()->facilitator_user_id) return {};
        auto f = storage::accounts::find_user(c, *k.value()->facilitator_user_id);
        if (!f) return f.error();
        if (!f.value()) return {};
        return storage::to_status(storage::outbox::enqueue(
            c, f.value()->email, "Heures d'insertion déclarées : " + k.value()->contract_object,
            "Bonjour " + f.value()->display_name + ",\n\n" + core::format_decimal_fr(v->hours, 1) +
                " heures d'insertion sont déclarées pour la période du " + core::format_day_fr(v->period_start) +
                " au " + core::format_day_fr(v->period_end) + " (marché « " + k.value()->contract_object +
                " »).\n\nÀ examiner : " + base_url_ + "/mon-espace/clauses/declarations/" + std::to_string(id) +
                "\n\nL'équipe Passerelle\n",
            clock_.now()));
    });
    if (!st) return st.error();
    return id;
}

Status ClauseService::resubmit(const core::Actor& actor, std::int64_t declaration_id, const cc::DeclarationInput& in) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous.");
    auto v = cc::validate_declaration(in, today());
    return db_.transaction([&](Connection& c) -> Status {
        auto d = cl::find_declaration(c, declaration_id);
        if (!d) return d.error();
        if (!d.value()) return Error::NotFound("Cette déclaration n'existe pas.");
        const auto org = d.value()->declared_for_org_id;
        if (!(org && member_of(actor, *org)) && !facilitator(actor))
            return Error::Forbidden("Cette déclaration a été faite par une autre organisation.");
        if (d.value()->status != "correction")
            return Error::Conflict("Seule une déclaration renvoyée pour correction se corrige.");
        if (!v) return v.error();
        auto r = *d.value();
        r.declaration = v.value();
        return cl::resubmit_declaration(c, r, clock_.now());
    });
}

Status ClauseService::review(const core::Actor& actor, std::int64_t declaration_id, const std::string& decision,
                             const std::string& comment) {
    if (!facilitator(actor)) return not_facilitator(actor);
    const std::string text = core::trim(comment);
    if (decision != "accept" && decision != "correction") return Error::Invalid("Décision inconnue.");
    if (decision == "correction" && text.empty())
        return Error::Invalid("Dites ce qu'il faut corriger.", {{"comment", "Dites ce qu'il faut corriger."}});
    if (core::utf8_length(text) > 2000 || !core::is_clean_text(text))
        return Error::Invalid("Le commentaire compte au plus 2 000 caractères.",
                              {{"comment", "Le commentaire compte au plus 2 000 caractères."}});
    return db_.transaction([&](Connection& c) -> Status {
        auto d = cl::find_declaration(c, declaration_id);
        if (!d) return d.error();
        if (!d.value()) return Error::NotFound("Cette déclaration n'existe pas.");
        if (d.value()->status != "submitted") return Error::Conflict("Cette déclaration a déjà été examinée.");
        const std::string status = decision == "accept" ? "accepted" : "correction";
        if (auto s = cl::review_declaration(c, declaration_id, status, text, *actor.user_id, clock_.now()); !s)
            return s;
        if (d.value()->declared_by_email.empty()) return {};
        const std::string page = base_url_ + "/marches-attribues/" + std::to_string(d.value()->contract_id);
        const std::string body =
            decision == "accept"
                ? "Bonjour,\n\nVotre déclaration de " + core::format_decimal_fr(d.value()->declaration.hours, 1) +
                      " heures d'insertion (marché « " + d.value()->contract_object +
                      " ») est acceptée par le facilitateur." + (text.empty() ? "" : "\n\nSon commentaire : " + text) +
                      "\n\n" + page + "\n\nL'équipe Passerelle\n"
                : "Bonjour,\n\nLe facilitateur vous demande de corriger votre déclaration d'heures d'insertion "
                  "(marché « " +
                      d.value()->contract_object + " ») :\n\n" + text + "\n\nCorriger : " + base_url_ +
                      "/mon-espace/clauses/declarations/" + std::to_string(declaration_id) +
                      "\n\nL'équipe Passerelle\n";
        return storage::to_status(storage::outbox::enqueue(
            c, d.value()->declared_by_email,
            decision == "accept" ? "Déclaration d'heures acceptée" : "Déclaration d'heures à corriger", body,
            clock_.now()));
    });
}

Result<cl::DeclarationRecord> ClauseService::declaration(const core::Actor& actor, std::int64_t declaration_id) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous.");
    auto d = fetch<std::optional<cl::DeclarationRecord>>(
        db_, [&](Connection& c) { return cl::find_declaration(c, declaration_id); });
    if (!d) return d.error();
    if (!d.value()) return Error::NotFound("Cette déclaration n'existe pas.");
    const auto org = d.value()->declared_for_org_id;
    if (!facilitator(actor) && !(org && member_of(actor, *org)))
        return Error::NotFound("Cette déclaration n'existe pas.");
    return std::move(*d.value());
}

Result<std::vector<ClauseLine>> ClauseService::portfolio(const core::Actor& actor, const PortfolioQuery& q) {
    if (!facilitator(actor)) return not_facilitator(actor);
    cl::PortfolioFilter f{q.mine_only ? actor.user_id : std::nullopt, q.departement, q.buyer_org_id, q.year};
    auto records = fetch<std::vector<cl::ClauseRecord>>(db_, [&](Connection& c) { return cl::portfolio(c, f, 2000); });
    if (!records) return records.error();
    auto l = lines(std::move(records.value()));
    if (q.late_only)
        l.erase(std::remove_if(l.begin(), l.end(), [](const ClauseLine& x) { return !x.progress.late; }), l.end());
    return l;
}

Result<std::vector<cl::DeclarationRecord>> ClauseService::to_review(const core::Actor& actor, bool mine_only) {
    if (!facilitator(actor)) return not_facilitator(actor);
    return fetch<std::vector<cl::DeclarationRecord>>(
        db_, [&](Connection& c) { return cl::pending_declarations(c, mine_only ? actor.user_id : std::nullopt, 500); });
}

Result<std::vector<ClauseLine>> ClauseService::to_declare(const core::Actor& actor) {
    std::vector<cl::ClauseRecord> records;
    Status st = db_.with_connection([&](Connection& c) -> Status {
        std::set<std::int64_t> seen;
        for (const auto& m : actor.memberships) {
            if (m.org_kind != core::OrgKind::kCompany) continue;
            auto ids = cl::contracts_with_clauses_for(c, m.org_id, 50);
            if (!ids) return ids.error();
            for (auto id : ids.value()) {
                if (!seen.insert(id).second) continue;
                auto k = cl::clauses_of_contract(c, id);
                if (!k) return k.error();
                for (auto& x : k.value())
                    if (x.clause.kind == "insertion_hours") records.push_back(std::move(x));
            }
        }
        return {};
    });
    if (!st) return st.error();
    return lines(std::move(records));
}

Result<cc::Report> ClauseService::report(const core::Actor& actor, std::int64_t buyer_org_id, const std::string& year) {
    if (!facilitator(actor) && !member_of(actor, buyer_org_id))
        return actor.anonymous()
                   ? Error::Unauthenticated("Connectez-vous.")
                   : Error::Forbidden("Le bilan d'un acheteur est réservé à ses agents et aux facilitateurs.");
    auto rows =
        fetch<std::vector<cc::ReportLine>>(db_, [&](Connection& c) { return cl::report_lines(c, buyer_org_id, year); });
    if (!rows) return rows.error();
    return cc::summarise(std::move(rows.value()));
}

Result<std::string> ClauseService::report_xlsx(const core::Actor& actor, std::int64_t buyer_org_id,
                                               const std::string& year, const std::string& buyer_name) {
    auto r = report(actor, buyer_org_id, year);
    if (!r) return r.error();
    std::vector<std::string> header = {"Marché", "Titulaire", "Heures exigées", "Heures réalisées", "Participants"};
    for (const auto& cat : cc::participant_categories()) header.emplace_back(cat.label);
    header.insert(header.end(), {"Femmes", "Hommes"});
    std::vector<std::vector<std::string>> rows;
    auto row_of = [&](const std::string& a, const std::string& b, std::int64_t req, double del, int part,
                      const std::map<std::string, int>& cats, int w, int m) {
        std::vector<std::string> row = {a, b, std::to_string(req), core::format_plain_decimal(del),
                                        std::to_string(part)};
        for (const auto& cat : cc::participant_categories()) {
            auto it = cats.find(cat.code);
            row.push_back(std::to_string(it == cats.end() ? 0 : it->second));
        }
        row.push_back(std::to_string(w));
        row.push_back(std::to_string(m));
        return row;
    };
    for (const auto& l : r->lines)
        rows.push_back(
            row_of(l.contract, l.holder, l.required, l.delivered, l.participants, l.categories, l.women, l.men));
    rows.push_back(row_of("Total", "", r->required, r->delivered, r->participants, r->categories, r->women, r->men));
    std::vector<std::vector<std::string>> summary = {
        {"Acheteur", buyer_name},
        {"Année", year.empty() ? "toutes" : year},
        {"Heures exigées", std::to_string(r->required)},
        {"Heures réalisées", core::format_plain_decimal(r->delivered)},
        {"Équivalents temps plein (1 607 h)", core::format_plain_decimal(r->fte)},
        {"Participants", std::to_string(r->participants)}};
    return xlsx_workbook({{"Synthèse", {"Indicateur", "Valeur"}, summary}, {"Marchés", header, rows}});
}

Result<ClauseService::Parameters> ClauseService::parameters() {
    Parameters out;
    std::map<std::string, cc::FamilyParameters> edited;
    Status st = db_.with_connection([&](Connection& c) -> Status {
        auto f = cl::family_parameters(c);
        if (!f) return f.error();
        edited = std::move(f.value());
        auto cost = storage::reference::get_setting(c, kHourlyCost);
        if (!cost) return cost.error();
        auto rate = storage::reference::get_setting(c, kInsertionRate);
        if (!rate) return rate.error();
        // A setting that does not read as a number (edited by hand in the database) keeps the default.
        auto number = [](const std::optional<std::string>& v, double fallback) {
            double d = 0;
            if (!v) return fallback;
            auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d);
            return ec == std::errc() && end == v->data() + v->size() && std::isfinite(d) && d >= 0 ? d : fallback;
        };
        out.global.hourly_cost = number(cost.value(), out.global.hourly_cost);
        out.global.insertion_rate = number(rate.value(), out.global.insertion_rate);
        return {};
    });
    if (!st) return st.error();
    std::set<std::string> divisions;
    for (const auto& d : cc::usual_divisions()) divisions.insert(d);
    for (const auto& [d, p] : edited) divisions.insert(d);
    for (const auto& d : divisions) {
        auto it = edited.find(d);
        out.families.emplace_back(d, it == edited.end() ? cc::default_family(d) : it->second);
    }
    return out;
}

Status ClauseService::save_parameters(const core::Actor& actor, const std::string& hourly_cost,
                                      const std::string& insertion_rate,
                                      const std::vector<std::tuple<std::string, std::string, std::string>>& families) {
    if (!facilitator(actor)) return not_facilitator(actor);
    // Every problem at once: the two rates, then each family's row (fields named `field.row`, rows as posted).
    auto g = cc::parse_global(hourly_cost, insertion_rate);
    core::FieldErrors errors;
    if (!g) errors = g.error().fields;
    std::vector<std::pair<std::string, cc::FamilyParameters>> parsed;
    for (std::size_t row = 0; row < families.size(); ++row) {
        const auto& [division, share, from] = families[row];
        const std::string n = "." + std::to_string(row);
        if (core::trim(share).empty() && core::trim(from).empty()) continue;  // a row left blank: no change
        if (division.size() != 2 || division.find_first_not_of("0123456789") != std::string::npos) {
            errors["division" + n] = "Indiquez une division CPV de deux chiffres (par exemple 45).";
            continue;
        }
        auto f = cc::parse_family(share, from);
        if (!f)
            for (const auto& [field, why] : f.error().fields) errors[field + n] = "Famille " + division + " : " + why;
        else
            parsed.emplace_back(division, f.value());
    }
    if (!errors.empty()) return Error::Invalid("Les paramètres contiennent des erreurs.", std::move(errors));
    return db_.transaction([&](Connection& c) -> Status {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.4f", g->hourly_cost);
        if (auto s = storage::reference::set_setting(c, kHourlyCost, buf); !s) return s;
        std::snprintf(buf, sizeof buf, "%.6f", g->insertion_rate);
        if (auto s = storage::reference::set_setting(c, kInsertionRate, buf); !s) return s;
        for (const auto& [d, p] : parsed)
            if (auto s = cl::save_family_parameters(c, d, p, *actor.user_id, clock_.now()); !s) return s;
        return {};
    });
}

Result<EstimateView> ClauseService::estimate(const std::string& cpv, const std::string& amount,
                                             const std::string& departement) {
    const std::string code = core::trim(cpv).substr(0, 8);
    if (code.size() < 2 || code.find_first_not_of("0123456789") != std::string::npos)
        return Error::Invalid("Choisissez d'abord le code CPV du lot.");
    std::string digits;
    for (char ch : amount)
        if (ch >= '0' && ch <= '9') digits += ch;
    auto value = digits.empty() || digits.size() > 13 ? std::nullopt : std::optional<std::int64_t>(std::stoll(digits));
    if (!value || *value <= 0) return Error::Invalid("Indiquez le montant estimé du lot.");
    auto params = parameters();
    if (!params) return params.error();
    EstimateView out;
    out.division = code.substr(0, 2);
    cc::FamilyParameters family = cc::default_family(out.division);
    for (const auto& [d, p] : params->families)
        if (d == out.division) family = p;
    out.estimate = cc::estimate_hours(*value, out.division, family, params->global);
    // Insertion and disability employers of the place, those with the lot's family first.
    Status st = db_.with_connection([&](Connection& c) -> Status {
        std::vector<storage::orgs::OrgRecord> same_family, others;
        for (const char* label : {"siae_ei", "siae_aci", "siae_etti", "siae_ai", "ea", "esat"}) {
            storage::orgs::OrgFilter f{"company", "", label, core::trim(departement), false};
            auto list = storage::orgs::list_orgs(c, f, 40, 0);
            if (!list) return list.error();
            for (auto& o : list.value()) {
                const bool match = std::any_of(o.cpv_codes.begin(), o.cpv_codes.end(),
                                               [&](const std::string& k) { return k.substr(0, 2) == out.division; });
                (match ? same_family : others).push_back(std::move(o));
            }
        }
        for (auto* list : {&same_family, &others})
            for (auto& o : *list)
                if (out.suppliers.size() < 8) out.suppliers.push_back(std::move(o));
        return {};
    });
    if (!st) return st.error();
    return out;
}

Result<int> ClauseService::send_digests() {
    auto users = fetch<std::vector<std::int64_t>>(db_, [&](Connection& c) { return cl::facilitators_with_clauses(c); });
    if (!users) return users.error();
    const std::string week = iso_week(clock_.now() / 86400);
    int sent = 0;
    for (auto user : users.value()) {
        auto records = fetch<std::vector<cl::ClauseRecord>>(db_, [&](Connection& c) {
            return cl::portfolio(c, {user, "", std::nullopt, ""}, 2000);
        });
        if (!records) return records.error();
        std::string list;
        int late = 0;
        for (const auto& x : lines(std::move(records.value()))) {
            if (!x.progress.late) continue;
            ++late;
            list += "- " + x.record.contract_object + " (" + x.record.buyer_name + ", " + x.record.holder_name +
                    ") : " + core::format_integer_fr(std::llround(x.record.accepted_hours)) + " heures acceptées sur " +
                    core::format_integer_fr(x.record.clause.hours_required) + ", " +
                    core::format_decimal_fr(x.progress.elapsed * 100, 0) + " % de la période écoulée\n  " + base_url_ +
                    "/marches-attribues/" + std::to_string(x.record.contract_id) + "\n";
        }
        if (late == 0) continue;
        Status st = db_.transaction([&](Connection& c) -> Status {
            auto claimed = cl::claim_digest(c, user, week, clock_.now());
            if (!claimed) return claimed.error();
            if (!claimed.value()) return {};
            auto u = storage::accounts::find_user(c, user);
            if (!u) return u.error();
            if (!u.value()) return {};
            ++sent;
            return storage::to_status(storage::outbox::enqueue(
                c, u.value()->email,
                "Clauses sociales : " + std::to_string(late) + " marché(s) en retard (semaine " + week.substr(6) + ")",
                "Bonjour " + u.value()->display_name +
                    ",\n\nLes marchés suivis dont les heures d'insertion acceptées ont plus de 10 points de retard sur "
                    "le temps écoulé :\n\n" +
                    list + "\nVotre portefeuille : " + base_url_ +
                    "/mon-espace/clauses?retard=1\n\nL'équipe Passerelle\n",
                clock_.now()));
        });
        if (!st) return st.error();
    }
    return sent;
}

void ClauseService::start_digests(int period_ms) {
    loop_.start(
        [this] {
            auto n = send_digests();
            if (!n) spdlog::warn("clause digests: {}", n.error().message);
        },
        std::chrono::milliseconds(period_ms));
}

}  // namespace passerelle::app
