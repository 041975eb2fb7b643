// Organisations (organisations): public buyers (acheteurs publics) and companies (entreprises),
// identified by SIRET, and the vocabularies of their profiles. Pure data and validation, no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace passerelle::core {

enum class OrgKind { kBuyer, kCompany };

// A code list: stored code -> French label, in display order.
struct CodeLabel {
    const char* code;
    const char* label;
};

const std::vector<CodeLabel>& company_sizes();   // TPE, PME, ETI, GE
const std::vector<CodeLabel>& company_labels();  // siae_*, geiq, ea, esat, ess, innovante
const std::vector<CodeLabel>& buyer_kinds();     // region, departement, commune, epci, etat, hopital, centrale...
const std::vector<CodeLabel>& legal_forms();     // SAS, SARL, SA, EI, association, SCOP...
std::optional<std::string> label_of(const std::vector<CodeLabel>& list, const std::string& code);

std::string org_kind_code(OrgKind k);
std::optional<OrgKind> parse_org_kind(const std::string& code);

// What a person submits on the organisation form, before validation.
struct OrganisationInput {
    std::string kind;  // "buyer" | "company"
    std::string name;
    std::string siret;
    std::string legal_form;
    std::string size;
    std::vector<std::string> labels;
    std::vector<std::string> cpv_codes;     // as typed; checked against the reference table by the caller
    std::vector<std::string> departements;  // codes "75", "2A", "971"
    std::string description;
    std::string website;
    std::string buyer_kind;
    std::string departement;
};

// The validated profile.
struct OrganisationProfile {
    OrgKind kind = OrgKind::kCompany;
    std::string name;
    std::string siret;
    std::string legal_form;
    std::string size;
    std::vector<std::string> labels;
    std::vector<std::string> cpv_codes;  // 8 digits each
    std::vector<std::string> departements;
    std::string description;
    std::string website;
    std::string buyer_kind;
    std::string departement;
};

// Checks every field and returns all field errors at once (French messages keyed by field name).
// Does not check that CPV codes or départements exist: the caller does, against reference data.
Result<OrganisationProfile> validate_organisation(const OrganisationInput& in);

bool is_departement_code(const std::string& code);

}  // namespace passerelle::core
