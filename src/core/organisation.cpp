#include "core/organisation.hpp"

#include <algorithm>
#include <set>

#include "core/cpv.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"

namespace passerelle::core {

const std::vector<CodeLabel>& company_sizes() {
    static const std::vector<CodeLabel> v = {{"TPE", "TPE (moins de 10 salariés)"},
                                             {"PME", "PME (moins de 250 salariés)"},
                                             {"ETI", "ETI (moins de 5 000 salariés)"},
                                             {"GE", "Grande entreprise"}};
    return v;
}

const std::vector<CodeLabel>& company_labels() {
    static const std::vector<CodeLabel> v = {
        {"siae_aci", "SIAE — atelier et chantier d'insertion (ACI)"},
        {"siae_ei", "SIAE — entreprise d'insertion (EI)"},
        {"siae_etti", "SIAE — entreprise de travail temporaire d'insertion (ETTI)"},
        {"siae_ai", "SIAE — association intermédiaire (AI)"},
        {"geiq", "GEIQ (groupement d'employeurs pour l'insertion et la qualification)"},
        {"ea", "Entreprise adaptée (EA)"},
        {"esat", "ESAT"},
        {"ess", "Entreprise de l'ESS"},
        {"innovante", "Entreprise innovante (JEI ou lauréate d'un prix d'innovation)"}};
    return v;
}

const std::vector<CodeLabel>& buyer_kinds() {
    static const std::vector<CodeLabel> v = {{"region", "Région"},
                                             {"departement", "Département"},
                                             {"commune", "Commune"},
                                             {"epci", "EPCI (intercommunalité)"},
                                             {"etat", "Service de l'État"},
                                             {"hopital", "Établissement hospitalier"},
                                             {"centrale", "Centrale d'achat"},
                                             {"bailleur", "Bailleur social"},
                                             {"etablissement_public", "Autre établissement public"},
                                             {"gip", "Groupement d'intérêt public"}};
    return v;
}

const std::vector<CodeLabel>& legal_forms() {
    static const std::vector<CodeLabel> v = {{"SAS", "SAS"},
                                             {"SASU", "SASU"},
                                             {"SARL", "SARL"},
                                             {"EURL", "EURL"},
                                             {"SA", "SA"},
                                             {"SCOP", "SCOP"},
                                             {"SCIC", "SCIC"},
                                             {"EI", "Entreprise individuelle"},
                                             {"association", "Association"},
                                             {"autre", "Autre"}};
    return v;
}

std::optional<std::string> label_of(const std::vector<CodeLabel>& list, const std::string& code) {
    for (const auto& cl : list)
        if (code == cl.code) return std::string(cl.label);
    return std::nullopt;
}

std::string org_kind_code(OrgKind k) { return k == OrgKind::kBuyer ? "buyer" : "company"; }

std::optional<OrgKind> parse_org_kind(const std::string& code) {
    if (code == "buyer") return OrgKind::kBuyer;
    if (code == "company") return OrgKind::kCompany;
    return std::nullopt;
}

bool is_departement_code(const std::string& c) {
    if (c == "2A" || c == "2B") return true;
    if (c.size() == 2) return std::all_of(c.begin(), c.end(), ::isdigit) && c != "00" && c != "20" && c < "96";
    if (c.size() == 3) return std::all_of(c.begin(), c.end(), ::isdigit) && c >= "971" && c <= "989";
    return false;
}

Result<OrganisationProfile> validate_organisation(const OrganisationInput& in) {
    core::FieldErrors errors;
    OrganisationProfile out;

    auto kind = parse_org_kind(in.kind);
    if (!kind)
        errors["kind"] = "Choisissez le type d'organisation : acheteur public ou entreprise.";
    else
        out.kind = *kind;

    out.name = trim(in.name);
    if (out.name.empty())
        errors["name"] = "Le nom de l'organisation est obligatoire.";
    else if (utf8_length(out.name) > 200)
        errors["name"] = "Le nom doit compter au plus 200 caractères.";
    else if (!is_clean_line(out.name) || looks_like_link(out.name))
        errors["name"] = "Le nom tient sur une ligne, sans adresse web ni caractère de contrôle.";

    std::string why;
    if (auto s = parse_siret(in.siret, &why))
        out.siret = *s;
    else
        errors["siret"] = why;

    out.description = trim(in.description);
    if (utf8_length(out.description) > 4000 || !is_clean_text(out.description))
        errors["description"] = "La présentation doit compter au plus 4 000 caractères.";

    out.website = trim(in.website);
    if (!out.website.empty()) {
        bool scheme = out.website.rfind("https://", 0) == 0 || out.website.rfind("http://", 0) == 0;
        if (!scheme || utf8_length(out.website) > 300 || out.website.find_first_of(" <>\"'") != std::string::npos)
            errors["website"] = "Le site web doit être une adresse commençant par https:// ou http://.";
    }

    if (kind == OrgKind::kCompany) {
        out.legal_form = trim(in.legal_form);
        if (!out.legal_form.empty() && !label_of(legal_forms(), out.legal_form))
            errors["legal_form"] = "Choisissez une forme juridique dans la liste.";
        out.size = trim(in.size);
        if (!label_of(company_sizes(), out.size))
            errors["size"] = "Choisissez la taille de l'entreprise (TPE, PME, ETI ou GE).";
        std::set<std::string> labels;
        for (const auto& l : in.labels) {
            if (l.empty()) continue;
            if (!label_of(company_labels(), l)) {
                errors["labels"] = "Un label choisi n'existe pas.";
                break;
            }
            labels.insert(l);
        }
        int siae = static_cast<int>(
            std::count_if(labels.begin(), labels.end(), [](const std::string& l) { return l.rfind("siae_", 0) == 0; }));
        if (siae > 1 && !errors.count("labels"))
            errors["labels"] = "Une SIAE n'a qu'un seul type : ACI, EI, ETTI ou AI.";
        out.labels.assign(labels.begin(), labels.end());

        std::set<std::string> cpvs;
        for (const auto& c : in.cpv_codes) {
            if (trim(c).empty()) continue;
            auto code = parse_cpv(c, &why);
            if (!code) {
                errors["cpv_codes"] = "« " + trim(c).substr(0, 40) + " » : " + why;
                break;
            }
            cpvs.insert(code->code);
        }
        if (cpvs.size() > 100) errors["cpv_codes"] = "Indiquez au plus 100 codes CPV.";
        out.cpv_codes.assign(cpvs.begin(), cpvs.end());

        std::set<std::string> deps;
        for (const auto& d : in.departements) {
            std::string t = trim(d);
            if (t.empty()) continue;
            if (!is_departement_code(t)) {
                errors["departements"] = "« " + t.substr(0, 10) + " » n'est pas un code de département.";
                break;
            }
            deps.insert(t);
        }
        out.departements.assign(deps.begin(), deps.end());
    } else if (kind == OrgKind::kBuyer) {
        out.buyer_kind = trim(in.buyer_kind);
        if (!label_of(buyer_kinds(), out.buyer_kind))
            errors["buyer_kind"] = "Choisissez la catégorie d'acheteur public dans la liste.";
        out.departement = trim(in.departement);
        if (!out.departement.empty() && !is_departement_code(out.departement))
            errors["departement"] = "Ce code de département n'existe pas.";
    }

    if (!errors.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(errors));
    return out;
}

}  // namespace passerelle::core
