#include "core/decp.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/french.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"

namespace passerelle::core {

namespace {

// Publishers' escaping left in the text: \' and \" for quotes.
std::string unescape_quotes(std::string s) {
    for (const char* esc : {"\\'", "\\\""}) {
        for (auto p = s.find(esc); p != std::string::npos; p = s.find(esc, p)) s.erase(p, 1);
    }
    return s;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// U+FFFD REPLACEMENT CHARACTER: accents lost upstream.
bool has_replacement_char(std::string_view s) { return s.find("\xEF\xBF\xBD") != std::string_view::npos; }

// "30000.00", "30000", "3e4", "30 000,50" -> 30000.0; nullopt when not a number.
std::optional<double> parse_amount(std::string_view raw) {
    std::string s;
    for (char c : raw) {
        if (c == ' ') continue;
        s.push_back(c == ',' ? '.' : c);
    }
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// `s` trimmed: moved out when it has nothing to trim (most texts), copied otherwise. Do not read `s` after.
std::string take_trimmed(std::string& s) {
    const std::string_view t = trim_view(s);
    if (t.size() == s.size()) return std::move(s);
    return std::string(t);
}

ContractParty party(RawParty& raw) {
    ContractParty p;
    p.id = strip_identifier(raw.id);
    p.name = unescape_quotes(take_trimmed(raw.name));
    p.valid_siret = p.id.size() == 14 && is_valid_siret(p.id);
    std::string type = trim(raw.id_type);
    for (char& c : type) c = c == '_' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (type == "TVA-INTRACOMMUNAUTAIRE") type = "TVA";
    p.id_type = p.valid_siret ? "SIRET" : type;
    return p;
}

}  // namespace

std::string normalise_decp_cpv(std::string_view raw, std::string* warning) {
    std::string s = trim(raw);
    if (s.empty()) return {};
    auto dash = s.find('-');
    std::string head = trim(s.substr(0, dash));
    if (!all_digits(head)) {
        if (warning) *warning = "code CPV « " + s.substr(0, 20) + " » illisible : ignoré";
        return {};
    }
    if (head.size() == 8) return head;
    if (head.size() == 7) {
        if (warning) *warning = "code CPV à 7 chiffres « " + head + " » : zéro initial restitué";
        return "0" + head;
    }
    if (warning) *warning = "code CPV « " + s.substr(0, 20) + " » de longueur invalide : ignoré";
    return {};
}

std::optional<std::string> parse_decp_date(std::string_view raw) {
    std::string s = trim(raw);
    if (s.empty()) return std::string();
    if (s.size() < 10) return std::nullopt;
    auto day = parse_iso_day(std::string_view(s).substr(0, 10));
    if (!day || day->year < 1990 || day->year > 2100) return std::nullopt;
    // What may follow the date: a time ("T…"), a time-zone suffix ("+01:00", "Z"), nothing else.
    if (s.size() > 10 && s[10] != 'T' && s[10] != '+' && s[10] != '-' && s[10] != 'Z' && s[10] != ' ')
        return std::nullopt;
    return s.substr(0, 10);
}

std::string departement_of_place(std::string_view type_raw, std::string_view code_raw) {
    std::string type = lower_ascii(trim(type_raw));
    std::string code = trim(code_raw);
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (code.empty()) return {};
    auto from_insee_like = [&](bool postal) -> std::string {
        if (code.size() != 5) return {};
        if (code.rfind("97", 0) == 0 || code.rfind("98", 0) == 0) return code.substr(0, 3);
        if (postal && code.rfind("20", 0) == 0) return code[2] <= '1' ? "2A" : "2B";  // 200xx, 201xx: Corse-du-Sud
        if (!postal && (code.rfind("2A", 0) == 0 || code.rfind("2B", 0) == 0)) return code.substr(0, 2);
        if (!all_digits(code)) return {};
        return code.substr(0, 2);
    };
    std::string d;
    if (type.find("postal") != std::string::npos)
        d = from_insee_like(true);
    else if (type.find("commune") != std::string::npos)
        d = from_insee_like(false);
    else if (type.find("partement") != std::string::npos)
        d = code.size() == 1 && all_digits(code) ? "0" + code : code;
    else if (type.empty() && code.size() == 5 && all_digits(code))
        d = from_insee_like(true);  // untyped 5 digits: a postal code in practice
    return is_departement_code(d) ? d : std::string();
}

const std::vector<CodeLabel>& awarded_procedures() {
    static const std::vector<CodeLabel> v = {{"ao_ouvert", "Appel d'offres ouvert"},
                                             {"ao_restreint", "Appel d'offres restreint"},
                                             {"mapa", "Procédure adaptée (MAPA)"},
                                             {"negociee", "Procédure avec négociation"},
                                             {"dialogue", "Dialogue compétitif"},
                                             {"concours", "Concours"},
                                             {"sans_publicite", "Sans publicité ni mise en concurrence"},
                                             {"autre", "Autre procédure"}};
    return v;
}

std::string procedure_code(std::string_view text) {
    std::string s = lower_ascii(trim(text));
    if (s.empty()) return {};
    auto has = [&](const char* needle) { return s.find(needle) != std::string::npos; };
    if (has("sans publicit") || has("sans mise en concurrence")) return "sans_publicite";
    if (has("adapt")) return "mapa";
    if (has("dialogue")) return "dialogue";
    if (has("concours")) return "concours";
    if (has("goci")) return "negociee";  // négociée, negociee, négociation
    if (has("restreint")) return "ao_restreint";
    if (has("ouvert")) return "ao_ouvert";
    return "autre";
}

namespace {

// Every text of a record, to check and repair its encoding (the tabular CSV is read as bytes).
template <typename Raw, typename F>
void each_text(Raw& r, F&& f) {
    for (auto* s : {&r.id, &r.uid, &r.source, &r.buyer.id, &r.buyer.id_type, &r.buyer.name, &r.nature, &r.object,
                    &r.cpv, &r.procedure, &r.place_code, &r.place_type, &r.place_name, &r.buyer_departement,
                    &r.duration_months, &r.notified, &r.published, &r.amount})
        f(*s);
    for (auto& p : r.suppliers)
        for (auto* s : {&p.id, &p.id_type, &p.name}) f(*s);
    for (auto& s : r.social_considerations) f(s);
}

}  // namespace

Result<AwardedContract> normalise(RawContract raw) {
    bool valid = true;
    each_text(raw, [&](const std::string& s) { valid = valid && is_valid_utf8(s); });
    if (!valid) {
        // Bytes that are not UTF-8 would break every page and export showing the contract: replaced by �.
        each_text(raw, [](std::string& s) { s = repair_utf8(s); });
        auto c = normalise(std::move(raw));
        if (c) c->warnings.push_back("texte mal encodé à la source (octets non UTF-8 remplacés par �)");
        return c;
    }
    // The texts of `raw` move into the record once read (take_trimmed): the checks on a text come first.
    bool broken = has_replacement_char(raw.object) || has_replacement_char(raw.buyer.name) ||
                  has_replacement_char(raw.nature) || has_replacement_char(raw.procedure) ||
                  has_replacement_char(raw.place_name);
    for (const auto& s : raw.suppliers) broken = broken || has_replacement_char(s.name);
    AwardedContract c;
    c.format = std::move(raw.format);
    c.kind = raw.kind.empty() ? "marche" : std::move(raw.kind);
    c.source = take_trimmed(raw.source);
    const std::string id = take_trimmed(raw.id);
    c.buyer = party(raw.buyer);
    if (c.buyer.id.empty()) return Error::Invalid("identifiant de l'acheteur absent");
    if (id.empty() && (trim(raw.object).empty() || trim(raw.notified).empty()))
        return Error::Invalid("identifiant du marché absent, et ni objet ni date pour le reconnaître");
    if (c.buyer.id.size() > 40 || id.size() > 120) return Error::Invalid("identifiant anormalement long");
    auto& w = c.warnings;
    if (!c.buyer.valid_siret) w.push_back("SIRET de l'acheteur « " + c.buyer.id.substr(0, 20) + " » invalide");

    c.object = unescape_quotes(take_trimmed(raw.object));
    c.nature = take_trimmed(raw.nature);
    c.procedure_text = take_trimmed(raw.procedure);
    c.procedure = procedure_code(c.procedure_text);
    if (c.object.empty() && c.format != "decp-csv") w.push_back("objet absent");  // the tabular file has none
    if (broken) w.push_back("caractères accentués perdus à la source (�)");

    std::string cpv_warning;
    c.cpv = normalise_decp_cpv(raw.cpv, &cpv_warning);
    if (!cpv_warning.empty()) w.push_back(cpv_warning);

    auto notified = parse_decp_date(raw.notified);
    if (!notified) {
        w.push_back("date de notification impossible « " + trim(raw.notified).substr(0, 30) + " » : ignorée");
    } else {
        c.notified_on = *notified;
    }
    auto published = parse_decp_date(raw.published);
    if (!published) {
        w.push_back("date de publication impossible « " + trim(raw.published).substr(0, 30) + " » : ignorée");
    } else {
        c.published_on = *published;
    }

    if (std::string a = trim(raw.amount); !a.empty()) {
        auto v = parse_amount(a);
        if (!v || *v < 0)
            w.push_back("montant illisible « " + a.substr(0, 30) + " » : ignoré");
        else
            c.amount = *v;
    }
    if (std::string d = trim(raw.duration_months); !d.empty()) {
        auto v = parse_amount(d);
        if (!v || *v < 0 || *v > 1200 || std::floor(*v) != *v)
            w.push_back("durée illisible « " + d.substr(0, 20) + " » : ignorée");
        else
            c.duration_months = static_cast<int>(*v);
    }

    c.place_code = take_trimmed(raw.place_code);
    c.departement = departement_of_place(raw.place_type, c.place_code);
    if (c.departement.empty()) {
        std::string bd = trim(raw.buyer_departement);
        if (bd.size() == 1 && all_digits(bd)) bd = "0" + bd;
        if (is_departement_code(bd)) c.departement = bd;
    }

    for (auto& s : raw.suppliers) {
        ContractParty p = party(s);
        if (p.id.empty() && p.name.empty()) continue;
        if (!p.valid_siret && p.id_type == "SIRET")
            w.push_back("SIRET du titulaire « " + p.id.substr(0, 20) + " » invalide : non rattaché");
        // The same supplier listed twice (same identifier, or same name without one) counts once.
        if (std::none_of(c.suppliers.begin(), c.suppliers.end(), [&](const ContractParty& q) {
                return p.id.empty() ? q.id.empty() && q.name == p.name : q.id == p.id;
            }))
            c.suppliers.push_back(std::move(p));
    }
    if (c.suppliers.empty()) w.push_back("aucun titulaire");

    for (const auto& s : raw.social_considerations) {
        std::string l = lower_ascii(s);
        if (l.find("social") != std::string::npos && l.find("pas de") == std::string::npos) c.social_clause = true;
    }

    if (id.empty()) {
        // Kept under a key made of what identifies it otherwise: object, date and first supplier.
        w.push_back("identifiant du marché absent : reconnu par son objet, sa date et son titulaire");
        c.source_id = "";
        c.key = c.buyer.id + "|~" + c.object + "|" + c.notified_on + "|" +
                (c.suppliers.empty() ? std::string() : c.suppliers.front().id);
        return c;
    }
    c.source_id = trim(raw.uid).empty() ? c.buyer.id + id : trim(raw.uid);
    c.key = c.buyer.id + "|" + id + "|" + c.notified_on;
    return c;
}

}  // namespace passerelle::core
