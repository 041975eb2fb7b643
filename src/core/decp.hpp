// DECP (données essentielles de la commande publique): normalising one awarded-contract record.
//
// The readers (app/decp_import) turn each JSON object or CSV row, whatever its format (2019 "v1" JSON,
// 2024 "v2" JSON, tabular CSV), into a RawContract of strings; normalise() checks and converts it into an
// AwardedContract, or says in French why it cannot be kept. Damage that leaves the data usable (broken
// accents, impossible dates, CPV without its leading zero, unknown place type) is kept with a warning;
// a record without identifier or buyer is rejected. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.hpp"
#include "core/result.hpp"

namespace passerelle::core {

struct RawParty {
    std::string id;
    std::string id_type;  // "SIRET", "TVA", "HORS-UE"... or empty
    std::string name;
};

// One record as read, every value as text ("30000.00", "36", "2018-12-17+01:00").
struct RawContract {
    std::string format;  // "decp-v1" | "decp-v2" | "decp-csv"
    std::string kind;    // "marche" | "concession"
    std::string id;
    std::string uid;
    std::string source;  // the v1 "source" field (publishing platform), when present
    RawParty buyer;
    std::vector<RawParty> suppliers;
    std::string nature;
    std::string object;
    std::string cpv;
    std::string procedure;
    std::string place_code;
    std::string place_type;
    std::string place_name;
    std::string buyer_departement;  // tabular format: the buyer's département when the place is missing
    std::string duration_months;
    std::string notified;   // dateNotification or dateSignature
    std::string published;  // datePublicationDonnees
    std::string amount;     // montant or valeurGlobale
    std::vector<std::string> social_considerations;
};

struct ContractParty {
    std::string id;       // as published, spaces removed
    std::string id_type;  // "SIRET" when `id` is a valid SIRET, otherwise what was published
    std::string name;
    bool valid_siret = false;
};

struct AwardedContract {
    // The upsert key: the buyer's identifier, the contract identifier and the notification date (the same
    // identifier is reused by buyers for lots and re-notifications).
    std::string key;
    std::string source_id;  // identifier shown to people: uid when published, else buyer id + id
    std::string format;
    std::string kind;
    std::string source;
    ContractParty buyer;
    std::vector<ContractParty> suppliers;
    std::string nature;
    std::string object;
    std::string cpv;             // 8 digits, or empty
    std::string procedure;       // platform code (core::procedures() codes, "sans_publicite", "autre") or empty
    std::string procedure_text;  // as published
    std::string place_code;
    std::string departement;  // derived from the place (département, postal or commune code), or empty
    std::optional<int> duration_months;
    std::string notified_on;   // YYYY-MM-DD or empty
    std::string published_on;  // YYYY-MM-DD or empty
    std::optional<double> amount;
    bool social_clause = false;
    std::vector<std::string> warnings;  // French, one per kept defect
};

// Normalises a CPV as published: "45000000", "45000000-7", "4500000" (leading zero lost: warning).
// Returns the 8 digits, or empty when nothing usable is there; *warning says what was repaired or dropped.
std::string normalise_decp_cpv(std::string_view raw, std::string* warning = nullptr);

// "2018-12-03", "2018-12-17+01:00", "2019-01-15T00:00:00Z" -> "2018-12-03". Empty when absent; nullopt
// when present but impossible (year outside 1990-2100, month 13...).
std::optional<std::string> parse_decp_date(std::string_view raw);

// The département of a place of execution, from its type and code, or empty.
std::string departement_of_place(std::string_view type, std::string_view code);

// Maps a published procedure name to the platform's procedure codes.
std::string procedure_code(std::string_view text);
const std::vector<CodeLabel>& awarded_procedures();  // codes of procedure_code() with their labels

// (By value: its texts move into the result.)
Result<AwardedContract> normalise(RawContract raw);

}  // namespace passerelle::core
