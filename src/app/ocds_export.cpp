#include "app/ocds_export.hpp"

#include <nlohmann/json.hpp>

#include "core/decp.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/siret.hpp"
#include "storage/contract_store.hpp"
#include "storage/notice_store.hpp"
#include "storage/reference_store.hpp"
#include "storage/search_outbox_store.hpp"

namespace passerelle::app {

using nlohmann::json;
using storage::Connection;

namespace {

// OCDS procurementMethod (closed codelist) of a platform procedure code.
std::string ocds_method(const std::string& procedure) {
    if (procedure == "ao_ouvert" || procedure == "mapa") return "open";
    if (procedure == "ao_restreint" || procedure == "negociee" || procedure == "dialogue" || procedure == "concours")
        return "selective";
    if (procedure == "sans_publicite") return "limited";
    return "";
}

std::string iso_day(const std::string& day) { return day.size() == 10 ? day + "T00:00:00Z" : ""; }

// A party for an organisation identified by SIRET (FR-RCS takes the SIREN), or by what was published.
json party(const std::string& identifier, const std::string& type, const std::string& name, const char* role) {
    json p = {{"name", name.empty() ? identifier : name}, {"roles", json::array({role})}};
    if (identifier.size() == 14 && core::is_valid_siret(identifier)) {
        p["id"] = "FR-SIRET-" + identifier;
        p["identifier"] = {{"scheme", "FR-RCS"}, {"id", identifier.substr(0, 9)}, {"legalName", p["name"]}};
        p["additionalIdentifiers"] = json::array({{{"scheme", "FR-SIRET"}, {"id", identifier}}});
    } else {
        p["id"] = (type.empty() ? std::string("ID") : type) + "-" + identifier;
    }
    return p;
}

json value(double amount) { return {{"amount", amount}, {"currency", "EUR"}}; }

json classification(Connection& c, const std::string& cpv) {
    json k = {{"scheme", "CPV"}, {"id", cpv}};
    if (auto r = storage::reference::find_cpv(c, cpv); r && r.value()) k["description"] = r.value()->label_fr;
    return k;
}

}  // namespace

core::Result<OcdsCounts> OcdsExporter::write(std::ostream& out) {
    OcdsCounts counts;
    const std::string now = core::format_iso8601_utc(clock_.now());
    json head = {{"uri", settings_.base_url + "/api/v1/ocds/release-package.json"},
                 {"version", "1.1"},
                 {"publishedDate", now},
                 {"publisher", {{"name", settings_.publisher}, {"uri", settings_.base_url}}},
                 {"license", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
                 {"publicationPolicy", settings_.base_url + "/donnees-personnelles"}};
    std::string text = head.dump(-1, ' ', false, json::error_handler_t::replace);
    text.pop_back();  // re-open the object to append the releases one by one
    out << text << ",\"releases\":[";
    bool first = true;
    auto emit = [&](const json& release) {
        out << (first ? "\n" : ",\n") << release.dump(-1, ' ', false, json::error_handler_t::replace);
        first = false;
    };

    core::Status st = db_.with_connection([&](Connection& c) -> core::Status {
        // Notices.
        for (std::int64_t after = 0;;) {
            auto ids = storage::search_outbox::public_ids(c, "notice", after, 500);
            if (!ids) return ids.error();
            if (ids->empty()) break;
            after = ids->back();
            for (auto id : ids.value()) {
                auto found = storage::notices::find_notice(c, id);
                if (!found) return found.error();
                if (!found.value()) continue;
                const auto& n = *found.value();
                auto history = storage::notices::history(c, id);
                if (!history) return history.error();
                bool amended = false;
                for (const auto& h : history.value()) amended = amended || h.kind == "amendment";
                const std::string ocid = settings_.ocid_prefix + "-consultation-" + std::to_string(n.id);
                const auto status = core::effective_notice_status(
                    core::parse_notice_status(n.status).value_or(core::NoticeStatus::kPublished), n.bid_deadline,
                    clock_.now());
                std::string tender_status = status == core::NoticeStatus::kAwarded        ? "complete"
                                            : status == core::NoticeStatus::kUnsuccessful ? "unsuccessful"
                                                                                          : "active";
                json buyer = party(n.org_siret, "", n.org_name, "buyer");
                json lots = json::array(), items = json::array();
                double total = 0;
                for (const auto& l : n.lots) {
                    const std::string lot_id = "lot-" + std::to_string(l.number);
                    json lot = {
                        {"id", lot_id}, {"title", l.title.empty() ? n.title : l.title}, {"status", tender_status}};
                    if (l.estimated_amount > 0) lot["value"] = value(static_cast<double>(l.estimated_amount));
                    lots.push_back(lot);
                    json item = {{"id", std::to_string(l.number)},
                                 {"description", l.title.empty() ? n.title : l.title},
                                 {"classification", classification(c, l.cpv_code)},
                                 {"relatedLot", lot_id}};
                    if (!l.departements.empty()) {
                        json places = json::array();
                        for (const auto& d : l.departements)
                            places.push_back({{"region", d}, {"countryName", "France"}});
                        item["deliveryAddresses"] = places;  // Location extension
                    }
                    items.push_back(item);
                    total += static_cast<double>(l.estimated_amount);
                }
                json tender = {{"id", n.reference},
                               {"title", n.title},
                               {"status", tender_status},
                               {"items", items},
                               {"lots", lots},
                               {"tenderPeriod", {{"endDate", core::format_iso8601_utc(n.bid_deadline)}}},
                               {"enquiryPeriod", {{"endDate", core::format_iso8601_utc(n.question_deadline)}}},
                               {"procuringEntity", {{"id", buyer["id"]}, {"name", buyer["name"]}}}};
                if (!n.description.empty()) tender["description"] = n.description;
                if (total > 0) tender["value"] = value(total);
                if (auto m = ocds_method(n.procedure); !m.empty()) tender["procurementMethod"] = m;
                tender["procurementMethodDetails"] =
                    core::label_of(core::awarded_procedures(), n.procedure).value_or(n.procedure);
                const std::int64_t date = std::max(n.updated_at, n.published_at.value_or(n.created_at));
                emit({{"ocid", ocid},
                      {"id", ocid + "-" + std::to_string(date)},
                      {"date", core::format_iso8601_utc(date)},
                      {"tag", json::array({amended ? "tenderAmendment" : "tender"})},
                      {"initiationType", "tender"},
                      {"language", "fr"},
                      {"parties", json::array({buyer})},
                      {"buyer", {{"id", buyer["id"]}, {"name", buyer["name"]}}},
                      {"tender", tender}});
                ++counts.notices;
            }
        }
        // Awarded contracts.
        for (std::int64_t after = 0;;) {
            auto ids = storage::contracts::ids(c, after, 500);
            if (!ids) return ids.error();
            if (ids->empty()) break;
            after = ids->back();
            for (auto id : ids.value()) {
                auto found = storage::contracts::find(c, id);
                if (!found) return found.error();
                if (!found.value()) continue;
                const auto& k = *found.value();
                const std::string ocid = k.notice_id
                                             ? settings_.ocid_prefix + "-consultation-" + std::to_string(*k.notice_id)
                                             : settings_.ocid_prefix + "-marche-" + std::to_string(k.id);
                json buyer = party(k.buyer_identifier, "", k.buyer_name, "buyer");
                json parties = json::array({buyer});
                json suppliers = json::array();
                for (const auto& s : k.suppliers) {
                    json p = party(s.identifier, s.identifier_type, s.name, "supplier");
                    bool listed = false;
                    for (auto& q : parties)
                        if (q["id"] == p["id"]) {
                            listed = true;
                            if (q["roles"][0] != "supplier") q["roles"].push_back("supplier");  // buyer and supplier
                        }
                    if (listed) {
                        bool already_supplier = false;
                        for (const auto& q : suppliers) already_supplier = already_supplier || q["id"] == p["id"];
                        if (already_supplier) continue;
                    } else {
                        parties.push_back(p);
                    }
                    suppliers.push_back({{"id", p["id"]}, {"name", p["name"]}});
                }
                const std::string award_id = "award-" + std::to_string(k.id);
                json award = {{"id", award_id}, {"status", "active"}, {"title", k.object}, {"suppliers", suppliers}};
                json contract = {{"id", k.source_id.empty() ? "contrat-" + std::to_string(k.id) : k.source_id},
                                 {"awardID", award_id},
                                 {"status", "active"},
                                 {"title", k.object}};
                if (!k.notified_on.empty()) {
                    award["date"] = iso_day(k.notified_on);
                    contract["dateSigned"] = iso_day(k.notified_on);
                }
                if (k.amount) {
                    award["value"] = value(*k.amount);
                    contract["value"] = value(*k.amount);
                }
                if (k.duration_months) {
                    json period = {{"durationInDays", *k.duration_months * 30}};
                    award["contractPeriod"] = period;
                    contract["period"] = period;
                }
                if (!k.cpv.empty()) {
                    json items = json::array({{{"id", "1"},
                                               {"description", k.object.empty() ? k.nature : k.object},
                                               {"classification", classification(c, k.cpv)}}});
                    award["items"] = items;
                    contract["items"] = items;
                }
                json tender = {{"id", k.source_id.empty() ? ocid : k.source_id}, {"status", "complete"}};
                if (auto m = ocds_method(k.procedure); !m.empty()) tender["procurementMethod"] = m;
                if (!k.procedure_text.empty()) tender["procurementMethodDetails"] = k.procedure_text;
                std::string date = iso_day(k.notified_on.empty() ? k.published_on : k.notified_on);
                if (date.empty()) date = core::format_iso8601_utc(k.imported_at);
                emit({{"ocid", ocid},
                      {"id", ocid + "-award-" + std::to_string(k.updated_at)},
                      {"date", date},
                      {"tag", json::array({"award", "contract"})},
                      {"initiationType", "tender"},
                      {"language", "fr"},
                      {"parties", parties},
                      {"buyer", {{"id", buyer["id"]}, {"name", buyer["name"]}}},
                      {"tender", tender},
                      {"awards", json::array({award})},
                      {"contracts", json::array({contract})}});
                ++counts.contracts;
            }
        }
        return {};
    });
    if (!st) return st.error();
    out << "\n]}\n";
    if (!out) return core::Error::Internal("écriture du fichier OCDS impossible");
    return counts;
}

}  // namespace passerelle::app
