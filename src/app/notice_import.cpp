#include "app/notice_import.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "app/crypto.hpp"
#include "app/text_file.hpp"
#include "core/decp.hpp"
#include "core/french.hpp"
#include "core/places.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"
#include "storage/org_store.hpp"
#include "storage/search_outbox_store.hpp"

namespace passerelle::app {

namespace en = storage::external_notices;
using core::Error;
using core::Result;
using nlohmann::json;

namespace {

using core::trim;

// Element names without their namespace prefix ("cbc:ID" -> "ID").
std::string_view local(const char* name) {
    std::string_view s(name);
    auto p = s.find(':');
    return p == std::string_view::npos ? s : s.substr(p + 1);
}

pugi::xml_node child(pugi::xml_node n, std::string_view name) {
    for (auto c : n.children())
        if (local(c.name()) == name) return c;
    return {};
}

std::vector<pugi::xml_node> children(pugi::xml_node n, std::string_view name) {
    std::vector<pugi::xml_node> out;
    for (auto c : n.children())
        if (local(c.name()) == name) out.push_back(c);
    return out;
}

pugi::xml_node path(pugi::xml_node n, std::initializer_list<std::string_view> names) {
    for (auto name : names) {
        if (!n) return {};
        n = child(n, name);
    }
    return n;
}

std::string text(pugi::xml_node n) { return n ? trim(n.text().get()) : std::string(); }

// The first descendant with this local name (any depth).
pugi::xml_node find_deep(pugi::xml_node n, std::string_view name) {
    return n.find_node([&](pugi::xml_node x) { return local(x.name()) == name; });
}

// Two digits at s[at], or nullopt.
std::optional<int> two_digits(const std::string& s, std::size_t at) {
    if (at + 2 > s.size() || !std::isdigit(static_cast<unsigned char>(s[at])) ||
        !std::isdigit(static_cast<unsigned char>(s[at + 1])))
        return std::nullopt;
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// "2019-06-24Z" / "2019-06-24+01:00" and "16:00:00Z" / "12:00:00+01:00" -> Unix seconds; nullopt when the
// date, the time or the zone is malformed.
std::optional<std::int64_t> instant(const std::string& date, const std::string& time) {
    auto day = core::parse_iso_day(core::parse_decp_date(date).value_or(""));
    if (!day) return std::nullopt;
    int h = 23, mi = 59, s = 0;  // a day without time: its end
    std::string zone = date.size() > 10 ? date.substr(10) : "";
    if (time.size() >= 5) {
        auto th = two_digits(time, 0), tm = two_digits(time, 3);
        if (!th || !tm || time[2] != ':' || *th > 23 || *tm > 59) return std::nullopt;
        h = *th;
        mi = *tm;
        if (time.size() >= 8 && time[5] == ':') {
            auto ts = two_digits(time, 6);
            if (!ts || *ts > 59) return std::nullopt;
            s = *ts;
        }
        auto z = time.find_first_of("Z+-", 5);
        zone = z == std::string::npos ? "" : time.substr(z);
    }
    std::int64_t offset = 0;
    if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
        auto zh = two_digits(zone, 1), zm = two_digits(zone, 4);
        if (!zh || !zm || zone.size() < 6 || *zh > 14 || *zm > 59) return std::nullopt;
        offset = (zone[0] == '-' ? -1 : 1) * (*zh * 3600 + *zm * 60);
    } else if (zone.empty()) {
        offset = core::paris_utc_offset(core::from_utc(day->year, day->month, day->day, h, mi));
    }
    return core::from_utc(day->year, day->month, day->day, h, mi, s) - offset;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
    if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

std::string hash_of(const en::ExternalNoticeRecord& r) {
    std::string s;
    for (const auto* v : {&r.notice_type, &r.buyer_name, &r.buyer_identifier, &r.reference, &r.title, &r.description,
                          &r.procedure_text, &r.reservation, &r.published_on, &r.url, &r.lots_json})
        s += *v + '\x1f';
    for (const auto& c : r.cpv_codes) s += c + ' ';
    for (const auto& d : r.departements) s += d + ' ';
    s += std::to_string(r.bid_deadline.value_or(0));
    return fingerprint_hex(s);
}

std::string eforms_procedure(const std::string& code) {
    if (code == "open") return "ao_ouvert";
    if (code == "restricted") return "ao_restreint";
    if (code == "neg-w-call" || code == "comp-tend" || code == "innovation") return "negociee";
    if (code == "neg-wo-call") return "sans_publicite";
    if (code == "comp-dial") return "dialogue";
    return code.empty() ? "" : "autre";
}

std::string eforms_reservation(const std::string& code) {
    if (code == "res-ws") return "reserved_ea_esat";
    if (code == "res-pub-ser") return "reserved_ess";
    return "";
}

// The place of a ProcurementProject: NUTS codes and postal codes of its RealizedLocation addresses.
std::vector<std::string> places(pugi::xml_node project) {
    std::vector<std::string> deps;
    for (auto loc : children(project, "RealizedLocation")) {
        auto addr = child(loc, "Address");
        for (const auto& d : core::departements_of_nuts(text(child(addr, "CountrySubentityCode")))) add_unique(deps, d);
        if (auto d = core::departement_of_place("Code postal", text(child(addr, "PostalZone"))); !d.empty())
            add_unique(deps, d);
    }
    return deps;
}

// pugixml reads bytes as they come: text that is not UTF-8 would reach the database and the pages.
constexpr const char* kNotUtf8 = "le fichier n'est pas encodé en UTF-8 valide";

}  // namespace

Result<en::ExternalNoticeRecord> parse_eforms(const std::string& xml) {
    if (!core::is_valid_utf8(xml)) return Error::Invalid(kNotUtf8);
    pugi::xml_document doc;
    if (auto ok = doc.load_string(xml.c_str()); !ok)
        return Error::Invalid(std::string("XML illisible : ") + ok.description());
    pugi::xml_node root = doc.document_element();
    const std::string_view kind = local(root.name());
    en::ExternalNoticeRecord r;
    r.source = "eforms";
    r.notice_type = kind == "ContractNotice"           ? "competition"
                    : kind == "ContractAwardNotice"    ? "award"
                    : kind == "PriorInformationNotice" ? "planning"
                                                       : "";
    if (r.notice_type.empty())
        return Error::Invalid("« " + std::string(kind) + " » n'est pas un avis de marché eForms (avis de marché, " +
                              "d'attribution ou de préinformation)");
    r.source_id = text(child(root, "ID"));
    if (r.source_id.empty()) return Error::Invalid("identifiant de l'avis (cbc:ID) absent");
    r.published_on = core::parse_decp_date(text(child(root, "IssueDate"))).value_or("");
    r.reference = text(child(root, "ContractFolderID"));

    // The buyer: the organisation that ContractingParty points at.
    const std::string buyer_ref = text(path(root, {"ContractingParty", "Party", "PartyIdentification", "ID"}));
    std::string buyer_postal, buyer_nuts;
    if (auto orgs = find_deep(root, "Organizations"))
        for (auto org : children(orgs, "Organization")) {
            auto company = child(org, "Company");
            if (text(path(company, {"PartyIdentification", "ID"})) != buyer_ref) continue;
            r.buyer_name = text(path(company, {"PartyName", "Name"}));
            r.buyer_identifier = core::strip_identifier(text(path(company, {"PartyLegalEntity", "CompanyID"})));
            buyer_postal = text(path(company, {"PostalAddress", "PostalZone"}));
            buyer_nuts = text(path(company, {"PostalAddress", "CountrySubentityCode"}));
        }

    auto project = child(root, "ProcurementProject");
    r.title = text(child(project, "Name"));
    r.description = text(child(project, "Description"));
    if (r.title.empty()) return Error::Invalid("objet de l'avis (ProcurementProject/Name) absent");
    add_unique(r.cpv_codes, core::normalise_decp_cpv(
                                text(path(project, {"MainCommodityClassification", "ItemClassificationCode"}))));
    r.departements = places(project);
    const std::string procedure = text(path(root, {"TenderingProcess", "ProcedureCode"}));
    r.procedure = eforms_procedure(procedure);
    r.procedure_text = procedure;

    json lots = json::array();
    for (auto lot : children(root, "ProcurementProjectLot")) {
        auto lp = child(lot, "ProcurementProject");
        json l = {{"id", text(child(lot, "ID"))}, {"title", text(child(lp, "Name"))}};
        if (auto d = text(child(lp, "Description")); !d.empty()) l["description"] = d;
        std::vector<std::string> cpvs;
        add_unique(cpvs,
                   core::normalise_decp_cpv(text(path(lp, {"MainCommodityClassification", "ItemClassificationCode"}))));
        for (auto extra : children(lp, "AdditionalCommodityClassification"))
            add_unique(cpvs, core::normalise_decp_cpv(text(child(extra, "ItemClassificationCode"))));
        for (const auto& c : cpvs) add_unique(r.cpv_codes, c);
        l["cpv"] = cpvs;
        auto deps = places(lp);
        for (const auto& d : deps) add_unique(r.departements, d);
        l["departements"] = deps;
        if (auto amount = text(path(lp, {"RequestedTenderTotal", "EstimatedOverallContractAmount"})); !amount.empty())
            l["amount"] = amount;
        auto period = path(lot, {"TenderingProcess", "TenderSubmissionDeadlinePeriod"});
        if (auto t = instant(text(child(period, "EndDate")), text(child(period, "EndTime")))) {
            l["deadline"] = *t;
            if (!r.bid_deadline || *t < *r.bid_deadline) r.bid_deadline = *t;
        }
        for (auto req : lot.select_nodes(".//*[local-name()='TendererRequirementTypeCode']")) {
            if (std::string(req.node().attribute("listName").value()) != "reserved-procurement") continue;
            if (auto res = eforms_reservation(text(req.node())); !res.empty()) {
                l["reservation"] = res;
                r.reservation = res;
            }
        }
        lots.push_back(l);
    }
    if (r.departements.empty()) {
        for (const auto& d : core::departements_of_nuts(buyer_nuts)) add_unique(r.departements, d);
        if (auto d = core::departement_of_place("Code postal", buyer_postal); !d.empty() && r.departements.empty())
            r.departements.push_back(d);
    }
    r.lots_json = lots.dump();
    r.url = "https://ted.europa.eu/fr/search/result?search-scope=ALL&FT=" + r.source_id;
    return r;
}

Result<en::ExternalNoticeRecord> parse_boamp(const std::string& xml) {
    if (!core::is_valid_utf8(xml)) return Error::Invalid(kNotUtf8);
    pugi::xml_document doc;
    if (auto ok = doc.load_string(xml.c_str()); !ok)
        return Error::Invalid(std::string("XML illisible : ") + ok.description());
    pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "ANNONCE")
        return Error::Invalid("élément racine « " + std::string(root.name()) + " » : ce n'est pas un avis BOAMP");
    en::ExternalNoticeRecord r;
    r.source = "boamp";
    auto ref = path(root, {"GESTION", "REFERENCE"});
    r.source_id = text(child(ref, "IDWEB"));
    if (r.source_id.empty()) return Error::Invalid("numéro d'avis (IDWEB) absent");
    const std::string nature = child(path(ref, {"TYPE_AVIS", "NATURE"}), "APPEL_OFFRE")   ? "APPEL_OFFRE"
                               : child(path(ref, {"TYPE_AVIS", "NATURE"}), "ATTRIBUTION") ? "ATTRIBUTION"
                                                                                          : "";
    r.notice_type = nature == "APPEL_OFFRE" ? "competition" : nature == "ATTRIBUTION" ? "award" : "other";
    auto index = path(root, {"GESTION", "INDEXATION"});
    r.published_on = core::parse_decp_date(text(child(index, "DATE_PUBLICATION"))).value_or("");
    auto data = child(root, "DONNEES");
    auto identity = child(data, "IDENTITE");
    r.buyer_name = text(child(identity, "DENOMINATION"));
    r.buyer_identifier = core::strip_identifier(text(child(identity, "CODE_IDENT_NATIONAL")));
    auto object = child(data, "OBJET");
    r.title = text(child(object, "TITRE_MARCHE"));
    if (r.title.empty()) r.title = text(child(index, "RESUME_OBJET"));
    if (r.title.empty()) return Error::Invalid("objet de l'avis (TITRE_MARCHE) absent");
    r.reference = text(child(object, "REF_MARCHE"));
    r.description = text(child(object, "OBJET_COMPLET"));
    add_unique(r.cpv_codes, core::normalise_decp_cpv(text(path(object, {"CPV", "PRINCIPAL"}))));
    for (auto extra : children(child(object, "CPV"), "SECONDAIRE"))
        add_unique(r.cpv_codes, core::normalise_decp_cpv(text(extra)));
    if (auto d = trim(text(child(index, "DEP_PUBLICATION"))); core::is_departement_code(d.size() == 1 ? "0" + d : d))
        r.departements.push_back(d.size() == 1 ? "0" + d : d);
    if (auto type = path(data, {"PROCEDURE", "TYPE_PROCEDURE"}); type && type.first_child()) {
        const std::string code = type.first_child().name();
        r.procedure_text = code;
        r.procedure = code == "OUVERT"                           ? "ao_ouvert"
                      : code == "RESTREINT"                      ? "ao_restreint"
                      : code == "PROCEDURE_ADAPTE"               ? "mapa"
                      : code == "DIALOGUE_COMPETITIF"            ? "dialogue"
                      : code.find("NEGOCI") != std::string::npos ? "negociee"
                                                                 : "autre";
    }
    if (child(path(data, {"CONDITION_PARTICIPATION"}), "MARCHE_RESERVE_OUI")) r.reservation = "reserved";
    const std::string deadline = text(path(data, {"CONDITION_DELAI", "RECEPT_OFFRES"}));
    if (deadline.size() >= 10)
        r.bid_deadline = instant(deadline.substr(0, 10), deadline.size() > 11 ? deadline.substr(11) : "");
    json lots = json::array();
    for (auto lot : children(child(object, "LOTS"), "LOT")) {
        json l = {{"id", text(child(lot, "NUM"))}, {"title", text(child(lot, "INTITULE"))}};
        if (auto d = text(child(lot, "DESCRIPTION")); !d.empty()) l["description"] = d;
        std::vector<std::string> cpvs;
        add_unique(cpvs, core::normalise_decp_cpv(text(path(lot, {"CPV", "PRINCIPAL"}))));
        for (const auto& c : cpvs) add_unique(r.cpv_codes, c);
        l["cpv"] = cpvs;
        auto deps = core::departements_of_nuts(text(child(lot, "CODE_NUTS")));
        l["departements"] = deps;
        lots.push_back(l);
    }
    r.lots_json = lots.dump();
    r.url = "https://www.boamp.fr/avis/detail/" + r.source_id;
    return r;
}

Result<en::ExternalNoticeRecord> ExternalNoticeService::get(std::int64_t id) {
    auto found = storage::fetch<std::optional<en::ExternalNoticeRecord>>(
        db_, [&](storage::Connection& c) { return en::find(c, id); });
    if (!found) return found.error();
    if (!found.value()) return Error::NotFound("Cet avis n'existe pas.");
    return std::move(*found.value());
}

Result<NoticeImportReport> ExternalNoticeService::import_path(const std::string& source,
                                                              const std::filesystem::path& p) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
        for (const auto& e : fs::directory_iterator(p, ec))
            if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path());
        std::sort(files.begin(), files.end());
    } else if (fs::is_regular_file(p, ec)) {
        files.push_back(p);
    } else {
        return Error::Invalid("Ni fichier ni dossier : " + p.string());
    }
    NoticeImportReport report;
    for (const auto& f : files) {
        ++report.files;
        auto text = read_file(f);
        if (!text) {
            report.rejected.push_back({f.filename().string(), text.error().message});
            continue;
        }
        auto parsed = source == "eforms" ? parse_eforms(text.value()) : parse_boamp(text.value());
        if (!parsed) {
            report.rejected.push_back({f.filename().string(), parsed.error().message});
            continue;
        }
        auto& r = parsed.value();
        r.content_hash = hash_of(r);
        const std::int64_t now = clock_.now();
        en::Upsert outcome = en::Upsert::kUnchanged;
        core::Status st = db_.transaction([&](storage::Connection& c) -> core::Status {
            if (!r.buyer_identifier.empty()) {  // the buyer's profile, when it is known by that SIRET
                auto buyer = storage::orgs::find_org_by_siret(c, r.buyer_identifier);
                if (!buyer) return buyer.error();
                if (buyer.value()) r.buyer_org_id = buyer.value()->id;
            }
            auto u = en::upsert(c, r, now);
            if (!u) return u.error();
            outcome = u.value();
            if (outcome == en::Upsert::kUnchanged) return {};
            return storage::search_outbox::enqueue(c, "external", r.id, now);
        });
        if (!st) return st.error();
        (outcome == en::Upsert::kInserted  ? report.imported
         : outcome == en::Upsert::kUpdated ? report.updated
                                           : report.unchanged)++;
    }
    return report;
}

std::string notice_report_text(const std::string& source, const NoticeImportReport& r) {
    std::ostringstream o;
    o << (source == "eforms" ? "Avis eForms" : "Avis BOAMP") << " : " << r.files << " fichier(s) lu(s)\n"
      << "  importés : " << r.imported << "\n"
      << "  mis à jour : " << r.updated << "\n"
      << "  inchangés : " << r.unchanged << "\n"
      << "  rejetés : " << r.rejected.size() << "\n";
    for (const auto& x : r.rejected) o << "  - " << x.file << " : " << x.reason << "\n";
    return o.str();
}

}  // namespace passerelle::app
