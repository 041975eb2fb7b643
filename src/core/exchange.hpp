// The co-contracting and subcontracting exchange (bourse à la co-traitance): partnership offers and their
// states, messages, consortium roles and checklist, and the partners suggested for an offer. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.hpp"
#include "core/result.hpp"

namespace passerelle::core {

// seek_cocontractor, seek_lead, seek_subcontractor, offer_cocontractor, offer_subcontractor.
const std::vector<CodeLabel>& offer_kinds();
// open, found, abandoned.
const std::vector<CodeLabel>& offer_statuses();
// lead (mandataire), member (co-traitant), subcontractor (sous-traitant).
const std::vector<CodeLabel>& consortium_roles();
// What a bid usually needs, as the consortium's first checklist.
const std::vector<std::string>& default_checklist();

inline constexpr std::int64_t kMaxAttachmentBytes = 10LL * 1024 * 1024;
inline constexpr std::size_t kMaxAttachments = 3;
inline constexpr std::size_t kMaxMessageChars = 5000;

struct OfferInput {
    std::string kind;
    std::string lot;  // "" for the whole notice, else its number
    std::vector<std::string> cpv_codes;
    std::vector<std::string> departements;
    std::string share;  // percentage of the work, optional
    std::string description;
};

struct Offer {
    std::string kind;
    std::optional<int> lot_number;
    std::vector<std::string> cpv_codes;  // 8 digits
    std::vector<std::string> departements;
    std::optional<int> share_percent;
    std::string description;
};

// Checks an offer against the notice's lot numbers; French messages per field (kind, lot, cpv_codes,
// departements, share, description). Whether the CPV codes and départements exist is the caller's check.
Result<Offer> validate_offer(const OfferInput& in, const std::vector<int>& lot_numbers);

// "" when the offer may go from `from` to `to`, else why not (only an open offer closes: found | abandoned).
std::string offer_transition_error(const std::string& from, const std::string& to);

// A message's text: trimmed, 1 to kMaxMessageChars characters unless attachments come with it.
Result<std::string> validate_message(const std::string& body, std::size_t attachments);

// Whether the offer is one that seeks a partner (its CPV codes are what is sought) rather than one that
// offers the author's services (its CPV codes are the author's skills).
bool offer_seeks(const std::string& kind);

struct PartnerLot {
    int number = 1;
    std::string title;
    std::string cpv;
    std::string clause_kind;  // none, insertion_hours, reserved_siae, reserved_ea_esat, reserved_ess, ...
};

struct PartnerCandidate {
    std::int64_t org_id = 0;
    std::string name;
    std::vector<std::string> cpv_codes;
    std::vector<std::string> departements;
    std::vector<std::string> labels;
};

struct PartnerSuggestion {
    std::int64_t org_id = 0;
    std::string name;
    double score = 0;
    std::vector<std::string> reasons;
};

struct PartnerRequest {
    std::vector<PartnerLot> lots;            // the offer's lot, or every lot of the notice
    std::size_t notice_lots = 0;             // how many lots the notice has (0: as many as `lots`)
    std::vector<std::string> author_skills;  // what the author covers
    std::vector<std::string> sought;         // CPV codes the offer asks for
    std::vector<std::string> places;         // départements of the offer or the notice
    std::size_t limit = 10;
};

// Companies whose skills cover the lots (or the codes sought) the author does not cover, and insertion
// structures when a lot carries a social clause; best first, each with its reasons in French.
std::vector<PartnerSuggestion> suggest_partners(const PartnerRequest& request,
                                                const std::vector<PartnerCandidate>& candidates);

}  // namespace passerelle::core
