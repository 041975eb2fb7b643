#include "app/contracts.hpp"

#include <cstdio>

#include "app/csv.hpp"

namespace passerelle::app {

namespace ct = storage::contracts;
using core::Error;
using core::Result;
using storage::Connection;
using storage::fetch;

Result<ct::ContractRecord> ContractService::get(std::int64_t id) {
    auto found = fetch<std::optional<ct::ContractRecord>>(db_, [&](Connection& c) { return ct::find(c, id); });
    if (!found) return found.error();
    if (!found.value()) return Error::NotFound("Ce marché n'existe pas.");
    return std::move(*found.value());
}

Result<std::vector<ct::ContractRecord>> ContractService::of_organisation(std::int64_t org_id, bool as_buyer,
                                                                         int limit) {
    ct::ContractFilter f;
    (as_buyer ? f.buyer_org_id : f.supplier_org_id) = org_id;
    return fetch<std::vector<ct::ContractRecord>>(db_, [&](Connection& c) { return ct::list(c, f, limit, 0); });
}

Result<std::vector<ct::ContractRecord>> ContractService::of_notice(std::int64_t notice_id) {
    ct::ContractFilter f;
    f.notice_id = notice_id;
    return fetch<std::vector<ct::ContractRecord>>(db_, [&](Connection& c) { return ct::list(c, f, 1000, 0); });
}

Result<std::int64_t> ContractService::count_of_organisation(std::int64_t org_id, bool as_buyer) {
    ct::ContractFilter f;
    (as_buyer ? f.buyer_org_id : f.supplier_org_id) = org_id;
    return fetch<std::int64_t>(db_, [&](Connection& c) { return ct::count(c, f); });
}

void ContractService::write_csv_header(std::ostream& out) {
    out << kCsvBom
        << "identifiant,acheteur_siret,acheteur,objet,nature,cpv,procedure,departement,"
           "date_notification,montant,duree_mois,titulaires_siret,titulaires,clause_sociale,source,url\r\n";
}

core::Status ContractService::write_csv_rows(const std::vector<std::int64_t>& ids, std::ostream& stream) {
    std::string out;
    core::Status st = db_.with_connection([&](Connection& c) -> core::Status {
        for (auto id : ids) {
            auto found = ct::find(c, id);
            if (!found) return found.error();
            if (!found.value()) continue;
            const auto& r = *found.value();
            std::string sirets, names;
            for (const auto& s : r.suppliers) {
                sirets += (sirets.empty() ? "" : " ; ") + s.identifier;
                names += (names.empty() ? "" : " ; ") + s.name;
            }
            char amount[40] = "";
            if (r.amount) std::snprintf(amount, sizeof amount, "%.2f", *r.amount);
            for (const auto& field : {r.source_id, r.buyer_identifier, r.buyer_name, r.object, r.nature, r.cpv,
                                      r.procedure_text, r.departement, r.notified_on, std::string(amount),
                                      r.duration_months ? std::to_string(*r.duration_months) : std::string(), sirets,
                                      names, std::string(r.social_clause ? "oui" : "non"), r.format,
                                      base_url_ + "/marches-attribues/" + std::to_string(r.id)})
                out += csv_field(field) + ",";
            out.back() = '\r';
            out += "\n";
        }
        return {};
    });
    if (!st) return st;
    stream << out;
    return {};
}

}  // namespace passerelle::app
