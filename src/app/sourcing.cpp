#include "app/sourcing.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/cpv.hpp"
#include "core/french.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"
#include "storage/contract_store.hpp"
#include "storage/org_store.hpp"
#include "storage/reference_store.hpp"

namespace passerelle::app {

namespace sourcing = core::sourcing;

void SourcingQuery::set_clause(const std::string& intent) {
    social_clause = intent == "insertion" || intent == "insertion_hours" || intent == "award_criterion";
    reservation = intent == "reserved_siae"      ? "siae"
                  : intent == "reserved_ea_esat" ? "ea_esat"
                  : intent == "reserved_ess"     ? "ess"
                                                 : "";
}

core::Result<std::vector<SupplierSuggestion>> SourcingService::suggest_for_codes(const std::vector<std::string>& codes,
                                                                                 SourcingQuery q,
                                                                                 const std::string& today) {
    std::map<std::string, SupplierSuggestion> best;
    core::FieldErrors errors;
    for (const auto& code : codes) {
        q.cpv = code;
        auto found = suggest(q, today);
        if (!found) {
            if (found.error().code != core::ErrorCode::kInvalidInput) return found.error();
            for (const auto& [field, why] : found.error().fields)  // every field's problem at once
                errors[field] = field == "cpv" ? code + " : " + why : why;
            continue;
        }
        for (auto& s : found.value()) {
            auto it = best.find(s.suggestion.siret);
            if (it == best.end() || it->second.suggestion.score < s.suggestion.score)
                best[s.suggestion.siret] = std::move(s);
        }
    }
    if (!errors.empty()) return core::Error::Invalid("La demande de suggestions est incomplète ou invalide.", errors);
    std::vector<SupplierSuggestion> out;
    for (auto& [siret, s] : best) out.push_back(std::move(s));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.suggestion.score != b.suggestion.score ? a.suggestion.score > b.suggestion.score
                                                        : a.suggestion.name < b.suggestion.name;
    });
    if (out.size() > q.limit) out.resize(q.limit);
    return out;
}

core::Result<std::vector<SupplierSuggestion>> SourcingService::suggest(SourcingQuery q, const std::string& today) {
    core::FieldErrors errors;
    std::string why;
    auto cpv = core::parse_cpv(core::trim(q.cpv), &why);
    if (!cpv) errors["cpv"] = why.empty() ? "Le code CPV est invalide." : why;
    q.departement = core::trim(q.departement);
    q.buyer_siret = core::strip_identifier(q.buyer_siret);
    // Published buyer identifiers do not always pass the Luhn check: only their shape is checked here.
    if (!q.buyer_siret.empty() &&
        ((q.buyer_siret.size() != 14 && q.buyer_siret.size() != 9) ||
         !std::all_of(q.buyer_siret.begin(), q.buyer_siret.end(), [](char ch) { return ch >= '0' && ch <= '9'; })))
        errors["buyer"] = "Le SIRET de l'acheteur compte 14 chiffres (ou 9 pour son SIREN).";
    if (q.amount && !(*q.amount >= 0 && *q.amount < 1e13)) errors["amount"] = "Le montant doit être positif.";
    q.as_of = core::trim(q.as_of);
    if (!q.as_of.empty() && !core::parse_iso_day(q.as_of))
        errors["as_of"] = "La date doit être au format AAAA-MM-JJ et exister.";
    if (q.limit < 1 || q.limit > 200) errors["limit"] = "Le nombre de suggestions va de 1 à 200.";
    if (!q.reservation.empty() && q.reservation != "siae" && q.reservation != "ea_esat" && q.reservation != "ess")
        errors["reservation"] = "Réservation inconnue.";

    std::vector<SupplierSuggestion> out;
    auto status = db_.with_connection([&](storage::Connection& c) -> core::Status {
        if (cpv) {
            auto known = storage::reference::count_cpv(c);
            if (!known) return known.error();
            if (known.value() > 0) {
                // When only the built-in divisions are loaded (no `passerelle import cpv`), the division is
                // what can be checked.
                auto divisions = storage::reference::cpv_divisions(c);
                if (!divisions) return divisions.error();
                const bool only_divisions = static_cast<std::int64_t>(divisions->size()) == known.value();
                auto found = storage::reference::find_cpv(c, only_divisions ? cpv->division() + "000000" : cpv->code);
                if (!found) return found.error();
                if (!found.value()) errors["cpv"] = "Ce code CPV n'existe pas dans la nomenclature.";
            }
        }
        auto deps = storage::reference::list_departements(c);
        if (!deps) return deps.error();
        sourcing::Geography geography;
        for (const auto& d : deps.value()) geography[d.code] = {d.name, d.region_code};
        if (!q.departement.empty() && !geography.empty() && !geography.count(q.departement))
            errors["departement"] = "Ce département n'existe pas.";
        if (!errors.empty())
            return core::Error::Invalid("La demande de suggestions est incomplète ou invalide.", errors);

        const std::string division = cpv->code.substr(0, 2);
        const std::string siren = q.buyer_siret.substr(0, std::min<std::size_t>(9, q.buyer_siret.size()));
        auto awards = storage::contracts::awards_for_sourcing(c, division, siren, q.as_of);
        if (!awards) return awards.error();
        auto profiles = storage::orgs::sourcing_profiles(c, division);
        if (!profiles) return profiles.error();

        // One candidate per supplier identifier; a profile joins its contracts through its SIRET.
        std::vector<sourcing::Candidate> candidates;
        std::vector<std::optional<std::int64_t>> org_of;
        std::unordered_map<std::string, std::size_t> index;
        auto candidate = [&](const std::string& id, const std::string& name,
                             std::optional<std::int64_t> org) -> sourcing::Candidate& {
            auto [it, inserted] = index.emplace(id, candidates.size());
            if (inserted) {
                candidates.push_back({});
                candidates.back().siret = id;
                candidates.back().name = name;
                org_of.push_back(org);
            } else if (org && !org_of[it->second]) {
                org_of[it->second] = org;
            }
            return candidates[it->second];
        };
        for (auto& a : awards.value()) {
            auto& cand = candidate(a.supplier_identifier, a.supplier_name, a.supplier_org_id);
            cand.awards.push_back({std::move(a.cpv), std::move(a.departement), std::move(a.buyer_identifier), a.amount,
                                   std::move(a.notified_on)});
        }
        for (auto& [id, p] : profiles.value()) {
            auto& cand = candidate(p.siret, p.name, id);
            cand.name = p.name;
            cand.declared_cpv = std::move(p.cpv_codes);
            cand.labels = std::move(p.labels);
            cand.departements = std::move(p.departements);
        }

        sourcing::Request request;
        request.cpv = cpv->code;
        request.departement = q.departement;
        request.buyer_siret = q.buyer_siret;
        request.amount = q.amount;
        request.as_of = q.as_of.empty() ? today : q.as_of;
        request.social_clause = q.social_clause;
        request.reservation = q.reservation;
        request.limit = q.limit;
        for (auto& s : sourcing::rank(request, candidates, geography, weights_)) {
            auto org = org_of[index.at(s.siret)];
            out.push_back({std::move(s), org});
        }
        return {};
    });
    if (!status) return status.error();
    return out;
}

}  // namespace passerelle::app
