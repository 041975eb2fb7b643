#include "app/reference.hpp"

#include <nlohmann/json.hpp>

#include "app/csv.hpp"
#include "app/text_file.hpp"
#include "core/cpv.hpp"
#include "core/fold.hpp"
#include "core/validation.hpp"

namespace passerelle::app {

namespace ref = storage::reference;
using core::Error;

namespace {

struct Division {
    const char* code;
    int check;
    const char* fr;
    const char* en;
};

// The 45 CPV 2008 divisions (official French and English labels, EU Publications Office, CC BY 4.0).
const Division kDivisions[] = {
    {"03000000", 1, "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes",
     "Agricultural, farming, fishing, forestry and related products"},
    {"09000000", 3, "Produits pétroliers, combustibles, électricité et autres sources d'énergie",
     "Petroleum products, fuel, electricity and other sources of energy"},
    {"14000000", 1, "Produits d'exploitation des mines, métaux de base et produits connexes",
     "Mining, basic metals and related products"},
    {"15000000", 8, "Produits alimentaires, boissons, tabac et produits connexes",
     "Food, beverages, tobacco and related products"},
    {"16000000", 5, "Machines agricoles", "Agricultural machinery"},
    {"18000000", 9, "Vêtements, articles chaussants, bagages et accessoires",
     "Clothing, footwear, luggage articles and accessories"},
    {"19000000", 6, "Produits en cuir et textiles, matériaux en plastique et en caoutchouc",
     "Leather and textile fabrics, plastic and rubber materials"},
    {"22000000", 0, "Imprimés et produits connexes", "Printed matter and related products"},
    {"24000000", 4, "Produits chimiques", "Chemical products"},
    {"30000000", 9, "Machines, matériel et fourniture informatique et de bureau, excepté les meubles et logiciels",
     "Office and computing machinery, equipment and supplies except furniture and software packages"},
    {"31000000", 6, "Machines, appareils, équipements et consommables électriques; éclairage",
     "Electrical machinery, apparatus, equipment and consumables; lighting"},
    {"32000000", 3,
     "Équipements et appareils de radio, de télévision, de communication, de télécommunication et équipements connexes",
     "Radio, television, communication, telecommunication and related equipment"},
    {"33000000", 0, "Matériels médicaux, pharmaceutiques et produits de soins personnnels",
     "Medical equipments, pharmaceuticals and personal care products"},
    {"34000000", 7, "Équipement de transport et produits auxiliaires pour le transport",
     "Transport equipment and auxiliary products to transportation"},
    {"35000000", 4, "Équipement de sécurité, de lutte contre l'incendie, de police et de défense",
     "Security, fire-fighting, police and defence equipment"},
    {"37000000", 8,
     "Instruments de musique, articles de sport, jeux, jouets, articles pour artisanat, articles pour travaux "
     "artistiques et accessoires",
     "Musical instruments, sport goods, games, toys, handicraft, art materials and accessories"},
    {"38000000", 5, "Équipements de laboratoire, d'optique et de précision (excepté les lunettes)",
     "Laboratory, optical and precision equipments (excl. glasses)"},
    {"39000000", 2,
     "Meubles (y compris les meubles de bureau), aménagements, appareils électroménagers (à l'exclusion de "
     "l'éclairage) et produits de nettoyage",
     "Furniture (incl. office furniture), furnishings, domestic appliances (excl. lighting) and cleaning products"},
    {"41000000", 9, "Eau collectée et purifiée", "Collected and purified water"},
    {"42000000", 6, "Machines industrielles", "Industrial machinery"},
    {"43000000", 3, "Équipement minier, équipement pour l'exploitation de carrières, matériel de construction",
     "Machinery for mining, quarrying, construction equipment"},
    {"44000000", 0,
     "Matériaux et structures de construction; produits auxiliaires pour la construction (à l'exception des appareils "
     "électriques)",
     "Construction structures and materials; auxiliary products to construction (except electric apparatus)"},
    {"45000000", 7, "Travaux de construction", "Construction work"},
    {"48000000", 8, "Logiciels et systèmes d'information", "Software package and information systems"},
    {"50000000", 5, "Services de réparation et d'entretien", "Repair and maintenance services"},
    {"51000000", 9, "Services d'installation (à l'exception des logiciels)", "Installation services (except software)"},
    {"55000000", 0, "Services d'hôtellerie, de restauration et de commerce au détail",
     "Hotel, restaurant and retail trade services"},
    {"60000000", 8, "Services de transport (à l'exclusion du transport des déchets)",
     "Transport services (excl. Waste transport)"},
    {"63000000", 9,
     "Services d'appui et services auxiliaires dans le domaine des transports, services des agences de voyages",
     "Supporting and auxiliary transport services; travel agencies services"},
    {"64000000", 6, "Services des postes et télécommunications", "Postal and telecommunications services"},
    {"65000000", 3, "Services publics", "Public utilities"},
    {"66000000", 0, "Services financiers et d'assurance", "Financial and insurance services"},
    {"70000000", 1, "Services immobiliers", "Real estate services"},
    {"71000000", 8, "Services d'architecture, services de construction, services d'ingénierie et services d'inspection",
     "Architectural, construction, engineering and inspection services"},
    {"72000000", 5, "Services de technologies de l'information, conseil, développement de logiciels, internet et appui",
     "IT services: consulting, software development, Internet and support"},
    {"73000000", 2, "Services de recherche et développement et services de conseil connexes",
     "Research and development services and related consultancy services"},
    {"75000000", 6, "Services de l'administration publique, de la défense et de la sécurité sociale",
     "Administration, defence and social security services"},
    {"76000000", 3, "Services relatifs à l'industrie du pétrole et du gaz",
     "Services related to the oil and gas industry"},
    {"77000000", 0, "Services agricoles, sylvicoles, horticoles, d'aquaculture et d'apiculture",
     "Agricultural, forestry, horticultural, aquacultural and apicultural services"},
    {"79000000", 4, "Services aux entreprises: droit, marketing, conseil, recrutement, impression et sécurité",
     "Business services: law, marketing, consulting, recruitment, printing and security"},
    {"80000000", 4, "Services d'enseignement et de formation", "Education and training services"},
    {"85000000", 9, "Services de santé et services sociaux", "Health and social work services"},
    {"90000000", 7,
     "Services d'évacuation des eaux usées et d'élimination des déchets, services d'hygiénisation et services relatifs "
     "à l'environnement",
     "Sewage, refuse, cleaning and environmental services"},
    {"92000000", 1, "Services récréatifs, culturels et sportifs", "Recreational, cultural and sporting services"},
    {"98000000", 3, "Autres services communautaires, sociaux et personnels",
     "Other community, social and personal services"},
};

}  // namespace

Result<std::int64_t> ReferenceService::import_cpv_csv(const std::filesystem::path& file) {
    auto text = read_file(file);
    if (!text) return text.error();
    std::size_t pos = 0;
    std::vector<std::string> f;
    if (!read_csv_record(*text, pos, f) || f.size() < 9 || f[0] != "code" || f[1] != "check_digit")
        return Error::Invalid(
            "En-tête CSV inattendu : code,check_digit,code_full,level,parent_code,division,type,"
            "label_fr,label_en attendu.");
    std::vector<ref::CpvRecord> records;
    int line = 1;
    while (read_csv_record(*text, pos, f)) {
        ++line;
        if (f.size() == 1 && f[0].empty()) continue;
        std::string why;
        auto code = core::parse_cpv(f.size() > 0 ? f[0] : "", &why);
        if (f.size() < 9 || !code || f[1].size() != 1 || !std::isdigit(static_cast<unsigned char>(f[1][0])))
            return Error::Invalid("Ligne " + std::to_string(line) +
                                  " invalide : " + (why.empty() ? "colonnes manquantes" : why));
        ref::CpvRecord r;
        r.code = code->code;
        r.check_digit = f[1][0] - '0';
        r.level = std::max(1, std::atoi(f[3].c_str()));
        r.parent_code = f[4];
        r.division = code->division();
        r.label_fr = f[7];
        r.label_en = f[8];
        r.search_text = core::fold(r.label_fr);
        records.push_back(std::move(r));
    }
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        for (const auto& r : records)
            if (auto s = ref::upsert_cpv(c, r); !s) return s;
        return {};
    });
    if (!st) return st.error();
    return static_cast<std::int64_t>(records.size());
}

Result<std::int64_t> ReferenceService::load_builtin_cpv_divisions() {
    std::int64_t n = 0;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        for (const auto& d : kDivisions) {
            ref::CpvRecord r{d.code, d.check, 1, "", std::string(d.code).substr(0, 2), d.fr, d.en, core::fold(d.fr)};
            if (auto s = ref::upsert_cpv(c, r); !s) return s;
            ++n;
        }
        return {};
    });
    if (!st) return st.error();
    return n;
}

Result<GeoCounts> ReferenceService::import_geo(const std::filesystem::path& dir, bool with_communes) {
    GeoCounts counts;
    nlohmann::json regions, deps, communes;
    try {
        auto r = read_file(dir / "regions.json");
        if (!r) return r.error();
        regions = nlohmann::json::parse(*r);
        auto d = read_file(dir / "departements.json");
        if (!d) return d.error();
        deps = nlohmann::json::parse(*d);
        if (with_communes) {
            auto c = read_file(dir / "communes.json");
            if (!c) return c.error();
            communes = nlohmann::json::parse(*c);
        }
    } catch (const nlohmann::json::exception& e) {
        return Error::Invalid(std::string("Fichier JSON de géographie invalide : ") + e.what());
    }
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        try {
            for (const auto& r : regions) {
                if (auto s = ref::upsert_region(c, {r.at("code").get<std::string>(), r.at("nom").get<std::string>()});
                    !s)
                    return s;
                ++counts.regions;
            }
            for (const auto& d : deps) {
                ref::Departement dep{d.at("code").get<std::string>(), d.at("nom").get<std::string>(),
                                     d.value("region", std::string())};
                if (auto s = ref::upsert_departement(c, dep); !s) return s;
                ++counts.departements;
            }
            for (const auto& m : communes) {
                if (m.value("type", std::string()) != "commune-actuelle") continue;
                ref::Commune cm{m.at("code").get<std::string>(), m.at("nom").get<std::string>(),
                                m.value("departement", std::string()), m.value("region", std::string()),
                                m.value("population", std::int64_t{0})};
                if (auto s = ref::upsert_commune(c, cm); !s) return s;
                ++counts.communes;
            }
        } catch (const nlohmann::json::exception& e) {
            return Error::Invalid(std::string("Fichier JSON de géographie inattendu : ") + e.what());
        }
        return {};
    });
    if (!st) return st.error();
    return counts;
}

Result<std::vector<ref::CpvRecord>> ReferenceService::suggest_cpv(const std::string& query, int limit) {
    std::string q;
    for (char c : query)
        if (c != '-' || !q.empty()) q.push_back(c);
    std::string digits;
    for (char c : q) {
        if (std::isdigit(static_cast<unsigned char>(c)))
            digits.push_back(c);
        else if (c != ' ')
            break;
    }
    std::vector<ref::CpvRecord> out;
    std::string folded = core::fold(q);
    while (!folded.empty() && folded.back() == ' ') folded.pop_back();
    while (!folded.empty() && folded.front() == ' ') folded.erase(0, 1);
    if (folded.size() < 2 && digits.size() < 2) return out;
    if (digits.size() > 8) digits.resize(8);
    // Strip trailing zeros so that "45000000" also lists the division's children.
    std::string prefix = digits;
    while (prefix.size() > 2 && prefix.back() == '0') prefix.pop_back();
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        auto r = ref::search_cpv(c, digits.size() >= 2 ? prefix : "", digits.size() >= 2 ? "" : folded, limit);
        if (!r) return r.error();
        out = std::move(r.value());
        return {};
    });
    if (!st) return st.error();
    return out;
}

Result<std::string> ReferenceService::check_cpv_codes(const std::vector<std::string>& typed) {
    std::string problem;
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        for (const auto& t : typed) {
            auto code = core::parse_cpv(t);
            if (!code) continue;  // syntax errors are reported by the domain validation
            auto found = ref::find_cpv(c, code->code);
            if (!found) return found.error();
            if (!found.value()) {
                problem = "Le code CPV " + code->code + " n'existe pas dans la nomenclature.";
                return {};
            }
            if (code->check_digit && *code->check_digit != found.value()->check_digit) {
                problem = "Le chiffre de contrôle du code CPV " + code->code + " est " +
                          std::to_string(found.value()->check_digit) + ", pas " + std::to_string(*code->check_digit) +
                          ".";
                return {};
            }
        }
        return {};
    });
    if (!st) return st.error();
    return problem;
}

Result<std::vector<ref::CpvRecord>> ReferenceService::cpv_divisions() {
    return storage::fetch<std::vector<ref::CpvRecord>>(db_,
                                                       [](storage::Connection& c) { return ref::cpv_divisions(c); });
}

Result<std::string> ReferenceService::first_unknown_departement(const std::vector<std::string>& codes) {
    auto deps = departements();
    if (!deps) return deps.error();
    for (const auto& raw : codes) {
        std::string code = core::trim(raw);
        if (code.empty()) continue;
        if (std::none_of(deps->begin(), deps->end(), [&](const ref::Departement& d) { return d.code == code; }))
            return code;
    }
    return std::string();
}

Result<std::vector<ref::Departement>> ReferenceService::departements() {
    std::vector<ref::Departement> out;
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        auto r = ref::list_departements(c);
        if (!r) return r.error();
        out = std::move(r.value());
        return {};
    });
    if (!st) return st.error();
    return out;
}

Result<std::string> ReferenceService::cpv_label(const std::string& code) {
    auto found = storage::fetch<std::optional<storage::reference::CpvRecord>>(
        db_, [&](storage::Connection& c) { return storage::reference::find_cpv_or_ancestor(c, code); });
    if (!found) return found.error();
    return found.value() ? found.value()->label_fr : std::string();
}

}  // namespace passerelle::app
