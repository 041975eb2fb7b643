// The social clauses storage: clauses on awarded contracts, subcontractors named on a contract, hour
// declarations and their review, the estimate's parameters, the yearly report rows and the weekly digests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clause.hpp"
#include "storage/database.hpp"

namespace passerelle::storage::clauses {

struct ClauseRecord {
    std::int64_t id = 0;
    std::int64_t contract_id = 0;
    core::clauses::Clause clause;
    std::optional<std::int64_t> facilitator_user_id;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    // Read only.
    std::string facilitator_name;
    double accepted_hours = 0;
    std::int64_t pending_declarations = 0;
    std::string contract_object;
    std::string contract_notified_on;
    std::optional<std::int64_t> buyer_org_id;
    std::string buyer_name;
    std::string holder_name;
};

Result<std::int64_t> insert_clause(Connection& c, const ClauseRecord& r, std::int64_t now);
Status update_clause(Connection& c, const ClauseRecord& r, std::int64_t now);
Status delete_clause(Connection& c, std::int64_t id);
Result<std::optional<ClauseRecord>> find_clause(Connection& c, std::int64_t id);
Result<std::vector<ClauseRecord>> clauses_of_contract(Connection& c, std::int64_t contract_id);

struct PortfolioFilter {
    std::optional<std::int64_t> facilitator_user_id;
    std::string departement;
    std::optional<std::int64_t> buyer_org_id;
    std::string year;  // of the contract's notification
};
// Clauses with their contract, buyer and first holder, newest contracts first.
Result<std::vector<ClauseRecord>> portfolio(Connection& c, const PortfolioFilter& f, int limit);

// The organisations that may declare for a contract: its holders (with an organisation) and the
// subcontractors they named.
Result<std::vector<std::int64_t>> declaring_orgs(Connection& c, std::int64_t contract_id);
struct SubcontractorRecord {
    std::int64_t org_id = 0;
    std::string name;
    std::string siret;
};
Status add_subcontractor(Connection& c, std::int64_t contract_id, std::int64_t org_id, std::int64_t now);
Status remove_subcontractor(Connection& c, std::int64_t contract_id, std::int64_t org_id);
Result<std::vector<SubcontractorRecord>> subcontractors(Connection& c, std::int64_t contract_id);
// Contracts the organisation holds or subcontracts that carry at least one clause (ids, newest first).
Result<std::vector<std::int64_t>> contracts_with_clauses_for(Connection& c, std::int64_t org_id, int limit);

struct DeclarationRecord {
    std::int64_t id = 0;
    std::int64_t clause_id = 0;
    core::clauses::Declaration declaration;
    std::optional<std::int64_t> employer_org_id;
    std::string status = "submitted";  // submitted, accepted, correction
    std::string review_comment;
    std::optional<std::int64_t> reviewed_by;
    std::optional<std::int64_t> reviewed_at;
    std::optional<std::int64_t> declared_by;
    std::optional<std::int64_t> declared_for_org_id;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    // Read only.
    std::string declared_by_email;
    std::string declared_for_name;
    std::int64_t contract_id = 0;
    std::string contract_object;
};
Result<std::int64_t> insert_declaration(Connection& c, const DeclarationRecord& r, std::int64_t now);
// A declaration sent back for correction, corrected: values replaced, back to "submitted".
Status resubmit_declaration(Connection& c, const DeclarationRecord& r, std::int64_t now);
Status review_declaration(Connection& c, std::int64_t id, const std::string& status, const std::string& comment,
                          std::int64_t reviewer, std::int64_t now);
Result<std::optional<DeclarationRecord>> find_declaration(Connection& c, std::int64_t id);
Result<std::vector<DeclarationRecord>> declarations_of_clause(Connection& c, std::int64_t clause_id);
// Declarations waiting for review on the clauses a facilitator follows (all when nullopt), oldest first.
Result<std::vector<DeclarationRecord>> pending_declarations(Connection& c, std::optional<std::int64_t> facilitator,
                                                            int limit);

// The estimate's parameters: per division (only the edited ones) and the two global values.
Result<std::map<std::string, core::clauses::FamilyParameters>> family_parameters(Connection& c);
Status save_family_parameters(Connection& c, const std::string& division, const core::clauses::FamilyParameters& p,
                              std::int64_t user, std::int64_t now);

// The report of a buyer for a year (of the contracts' notification): one line per insertion-hours clause,
// with its accepted declarations added up.
Result<std::vector<core::clauses::ReportLine>> report_lines(Connection& c, std::int64_t buyer_org_id,
                                                            const std::string& year);

// Users with the facilitator role who follow at least one clause.
Result<std::vector<std::int64_t>> facilitators_with_clauses(Connection& c);
// Records that the digest of this ISO week goes to this user; false when it was already sent.
Result<bool> claim_digest(Connection& c, std::int64_t user_id, const std::string& week, std::int64_t now);

}  // namespace passerelle::storage::clauses
