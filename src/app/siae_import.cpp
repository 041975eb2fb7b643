#include "app/siae_import.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <unordered_map>

#include "app/csv.hpp"
#include "app/organisations.hpp"
#include "app/text_file.hpp"
#include "core/fold.hpp"
#include "core/organisation.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"
#include "storage/org_store.hpp"
#include "storage/reference_store.hpp"

namespace passerelle::app {

using core::Error;
using core::Result;

std::string siae_label(const std::string& kind) {
    static const std::unordered_map<std::string, std::string> labels = {
        {"ACI", "siae_aci"}, {"EI", "siae_ei"}, {"AI", "siae_ai"}, {"ETTI", "siae_etti"}, {"EITI", "siae_ei"},
        {"GEIQ", "geiq"},    {"EA", "ea"},      {"EATT", "ea"},    {"ESAT", "esat"}};
    auto it = labels.find(kind);
    return it == labels.end() ? "" : it->second;
}

Result<SiaeImportReport> SiaeImporter::import_csv(const std::filesystem::path& file) {
    auto read = read_file(file);
    if (!read) return read.error();
    const std::string& text = read.value();
    std::size_t pos = text.rfind(kCsvBom, 0) == 0 ? 3 : 0;
    std::vector<std::string> f;
    if (!read_csv_record(text, pos, f)) return Error::Invalid("Fichier vide.");
    std::unordered_map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < f.size(); ++i) col[f[i]] = i;
    for (const char* required : {"siret", "name", "kind", "department"})
        if (!col.count(required))
            return Error::Invalid(std::string("Colonne « ") + required +
                                  " » absente : ce n'est pas la liste des SIAE.");
    auto cell = [&](const char* name) -> std::string {
        auto it = col.find(name);
        return it == col.end() || it->second >= f.size() ? std::string() : core::trim(f[it->second]);
    };
    SiaeImportReport report;
    const std::int64_t now = clock_.now();
    std::int64_t line = 1;
    core::Status st = db_.transaction([&](storage::Connection& c) -> core::Status {
        // Only départements of the geography reference (imported with the demo or `import geo`).
        auto known_list = storage::reference::list_departements(c);
        if (!known_list) return known_list.error();
        std::set<std::string> known;
        for (const auto& d : known_list.value()) known.insert(d.code);
        while (read_csv_record(text, pos, f)) {
            ++line;
            if (f.size() == 1 && core::trim(f[0]).empty()) continue;
            ++report.rows;
            std::string why;
            auto siret = core::parse_siret(cell("siret"), &why);
            if (!siret) {
                report.rejected.push_back({line, cell("siret"), why});
                continue;
            }
            const std::string label = siae_label(cell("kind"));
            std::string dep = cell("department");
            if (dep.size() == 1) dep = "0" + dep;
            if (!known.count(dep)) dep.clear();
            auto existing = storage::orgs::find_org_by_siret(c, *siret);
            if (!existing) return existing.error();
            if (!existing.value()) {
                storage::orgs::OrgRecord o =
                    unclaimed_profile("company", *siret, cell("brand").empty() ? cell("name") : cell("brand"));
                o.search_name = core::fold(o.name + " " + cell("name"));  // found by brand and legal name
                if (core::label_of(core::legal_forms(), cell("legal_form"))) o.legal_form = cell("legal_form");
                if (!cell("name").empty() && cell("name") != o.name) o.description = "Raison sociale : " + cell("name");
                o.departement = dep;
                if (!dep.empty()) o.departements = {dep};
                if (!label.empty()) o.labels = {label};
                auto id = storage::orgs::insert_org(c, o, now);
                if (!id) return id.error();
                ++report.imported;
                continue;
            }
            storage::orgs::OrgRecord o = *existing.value();
            const bool adds_label =
                !label.empty() && std::find(o.labels.begin(), o.labels.end(), label) == o.labels.end();
            const bool adds_dep =
                !dep.empty() && std::find(o.departements.begin(), o.departements.end(), dep) == o.departements.end();
            if (o.claimed || (!adds_label && !adds_dep)) {  // the company's own profile is its own to edit
                ++report.unchanged;
                continue;
            }
            if (adds_label) o.labels.push_back(label);
            if (adds_dep) o.departements.push_back(dep);
            if (o.departement.empty()) o.departement = dep;
            if (auto u = storage::orgs::update_org(c, o, now); !u) return u;
            ++report.updated;
        }
        return {};
    });
    if (!st) return st.error();
    return report;
}

std::string siae_report_text(const SiaeImportReport& r) {
    std::ostringstream o;
    o << "Structures d'insertion : " << r.rows << " ligne(s) lue(s)\n"
      << "  profils créés : " << r.imported << "\n"
      << "  profils complétés (label, département) : " << r.updated << "\n"
      << "  inchangés : " << r.unchanged << "\n"
      << "  rejetées : " << r.rejected.size() << "\n";
    for (const auto& x : r.rejected)
        o << "  - ligne " << x.line << " (SIRET « " << x.siret << " ») : " << x.reason << "\n";
    return o.str();
}

}  // namespace passerelle::app
