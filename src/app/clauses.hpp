// ClauseService: social clauses on awarded contracts and the insertion hours delivered under them.
// Facilitators record clauses (hours over a period, reservation, award criterion) with their territory,
// review the hours that contractors, their subcontractors or themselves declare (accept, or send back for
// correction with a comment), follow their portfolio (late contracts flagged, a weekly digest by e-mail),
// edit the estimate's parameters and produce a buyer's yearly report (XLSX, printable page). Buyers writing
// a notice get the estimate of hours for a lot, with its method, and the insertion suppliers of its places.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clause.hpp"
#include "core/clock.hpp"
#include "core/periodic.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/clause_store.hpp"
#include "storage/database.hpp"
#include "storage/org_store.hpp"

namespace passerelle::app {

namespace cl = storage::clauses;

struct ClauseLine {
    cl::ClauseRecord record;
    core::clauses::Progress progress;
};

// What the contract page shows about clauses, and what the viewer may do.
struct ContractClauses {
    std::vector<ClauseLine> clauses;
    std::vector<cl::SubcontractorRecord> subcontractors;
    std::vector<std::int64_t> declaring_orgs;  // the viewer's organisations that may declare
    bool facilitator = false;                  // may add, edit and review
    bool holder = false;                       // a member of a holder: may name subcontractors
    bool sees_declarations = false;
    std::vector<cl::DeclarationRecord> declarations;  // when sees_declarations
};

struct PortfolioQuery {
    std::string departement;
    std::optional<std::int64_t> buyer_org_id;
    std::string year;
    bool late_only = false;
    bool mine_only = false;  // the clauses this facilitator follows
};

struct EstimateView {
    core::clauses::Estimate estimate;
    std::string division;
    std::vector<storage::orgs::OrgRecord> suppliers;  // SIAE and EA / ESAT of the place and family
};

class ClauseService {
  public:
    ClauseService(storage::Database& db, const core::Clock& clock, std::string base_url)
        : db_(db), clock_(clock), base_url_(std::move(base_url)) {}

    core::Result<ContractClauses> of_contract(const core::Actor& actor, std::int64_t contract_id);
    core::Result<std::int64_t> add(const core::Actor& actor, std::int64_t contract_id,
                                   const core::clauses::ClauseInput& in, bool follow);
    core::Status update(const core::Actor& actor, std::int64_t clause_id, const core::clauses::ClauseInput& in,
                        bool follow);
    core::Status remove(const core::Actor& actor, std::int64_t clause_id);
    core::Result<cl::ClauseRecord> clause(std::int64_t clause_id);

    core::Status add_subcontractor(const core::Actor& actor, std::int64_t contract_id, const std::string& siret);
    core::Status remove_subcontractor(const core::Actor& actor, std::int64_t contract_id, std::int64_t org_id);

    // Declares hours for `org_id` (a holder or named subcontractor the actor belongs to, or any of them
    // for a facilitator). The facilitator in charge is told by e-mail.
    core::Result<std::int64_t> declare(const core::Actor& actor, std::int64_t clause_id, std::int64_t org_id,
                                       const core::clauses::DeclarationInput& in);
    // A declaration sent back for correction, corrected by its organisation.
    core::Status resubmit(const core::Actor& actor, std::int64_t declaration_id,
                          const core::clauses::DeclarationInput& in);
    // accept | correction (a comment is then required). The declarant is told by e-mail.
    core::Status review(const core::Actor& actor, std::int64_t declaration_id, const std::string& decision,
                        const std::string& comment);
    core::Result<cl::DeclarationRecord> declaration(const core::Actor& actor, std::int64_t declaration_id);

    core::Result<std::vector<ClauseLine>> portfolio(const core::Actor& actor, const PortfolioQuery& q);
    core::Result<std::vector<cl::DeclarationRecord>> to_review(const core::Actor& actor, bool mine_only);
    // Contracts with clauses that one of the actor's organisations holds or subcontracts.
    core::Result<std::vector<ClauseLine>> to_declare(const core::Actor& actor);

    core::Result<core::clauses::Report> report(const core::Actor& actor, std::int64_t buyer_org_id,
                                               const std::string& year);
    core::Result<std::string> report_xlsx(const core::Actor& actor, std::int64_t buyer_org_id, const std::string& year,
                                          const std::string& buyer_name);

    // The estimate's parameters (edited values over the defaults) and their update by a facilitator.
    struct Parameters {
        core::clauses::GlobalParameters global;
        std::vector<std::pair<std::string, core::clauses::FamilyParameters>> families;  // usual ones and edited
    };
    core::Result<Parameters> parameters();
    core::Status save_parameters(const core::Actor& actor, const std::string& hourly_cost,
                                 const std::string& insertion_rate,
                                 const std::vector<std::tuple<std::string, std::string, std::string>>& families);
    // For a lot being written: CPV code, amount and département.
    core::Result<EstimateView> estimate(const std::string& cpv, const std::string& amount,
                                        const std::string& departement);

    // Weekly digest of late contracts to each facilitator (once per ISO week); returns the e-mails queued.
    core::Result<int> send_digests();
    void start_digests(int period_ms = 60 * 60 * 1000);
    void stop_digests() { loop_.stop(); }

  private:
    std::vector<ClauseLine> lines(std::vector<cl::ClauseRecord> records) const;
    std::string today() const;

    storage::Database& db_;
    const core::Clock& clock_;
    std::string base_url_;
    core::Periodic loop_;
};

}  // namespace passerelle::app
