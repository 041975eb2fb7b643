// Sourcing: which suppliers could answer a purchase, ranked, each with its reasons in plain French.
//
// A pure function over data: the candidates (their declared skills, places and labels, and the contracts
// they won before the reference day) come from storage; nothing here reads a clock or a database.
//
// The score of a candidate adds
//  - its history: for every contract it won, the closeness of the contract's CPV to the one sought (along
//    the CPV hierarchy: division, group, class, category), times its recency (half-life of two years), the
//    proximity of its place (same département, same région), the closeness of its amount, and a bonus when
//    the buyer is the same organisation (same SIREN);
//  - its declared skills (the closest declared CPV) and whether it declares the département;
//  - its labels (SIAE, EA / ESAT, ESS) when a social clause or a reservation is sought;
// the last two weighed by the proximity of the départements it declares.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace passerelle::core::sourcing {

struct PastAward {
    std::string cpv;          // 8 digits, or empty
    std::string departement;  // of the place of execution, or empty
    std::string buyer;        // buyer's SIRET (or other identifier) as published
    std::optional<double> amount;
    std::string notified_on;  // YYYY-MM-DD, or empty
};

struct Candidate {
    std::string siret;  // the supplier's identifier (SIRET when it has one)
    std::string name;
    std::vector<std::string> declared_cpv;  // skills declared on its profile
    std::vector<std::string> departements;  // where it declares working (and its seat)
    std::vector<std::string> labels;        // siae_ei, siae_aci, siae_etti, siae_ai, ea, esat, ess, geiq
    std::vector<PastAward> awards;
};

struct Request {
    std::string cpv;  // 8 digits
    std::string departement;
    std::string buyer_siret;
    std::optional<double> amount;
    std::string as_of;           // YYYY-MM-DD: the day recency is measured from (the caller filters the awards)
    bool social_clause = false;  // the purchase carries an insertion clause: SIAE count more
    std::string reservation;     // "", "siae", "ea_esat", "ess": reserved contract, only those labels qualify
    std::size_t limit = 10;
};

// Département code -> its name and région code, for the reasons and the région proximity.
struct Place {
    std::string name;
    std::string region;
};
using Geography = std::map<std::string, Place>;

struct Weights {
    double history_half_life_days = 730;
    // Measured with bench/sourcing.cpp (`make bench`) on the DECP files: the incumbent and the place weigh
    // most; a same-buyer contract of another division hardly helps.
    double same_buyer_factor = 8.0;      // a contract of the same buyer counts that many times
    double other_division_buyer = 0.02;  // closeness granted to a same-buyer contract of another division
    double same_region = 0.4;            // place factor: same département 1, same région, elsewhere
    double elsewhere = 0.1;
    double declared_skill = 0.6;  // weight of the closest declared skill
    double declared_place = 0.2;  // bonus when the candidate declares the département
    double label_bonus = 1.0;     // when a social clause or reservation is sought and the label fits
};

struct Suggestion {
    std::string siret;
    std::string name;
    double score = 0;
    std::vector<std::string> reasons;
};

// Closeness of two CPV codes in [0, 1] along the hierarchy: 1 when one is within the other (same code, or
// the more general one contains the other), else by the depth of their common prefix (0 across divisions).
double cpv_closeness(const std::string& a, const std::string& b);

// Whether a candidate's labels satisfy a reservation ("siae", "ea_esat", "ess"); true for no reservation.
bool qualifies(const std::vector<std::string>& labels, const std::string& reservation);

// Best first; candidates with nothing in common with the request (score 0) are left out; ties by name.
std::vector<Suggestion> rank(const Request& request, const std::vector<Candidate>& candidates,
                             const Geography& geography, const Weights& weights = {});

}  // namespace passerelle::core::sourcing
