#include "core/notice.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "core/cpv.hpp"
#include "core/french.hpp"
#include "core/procurement.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"

namespace passerelle::core {

std::string notice_status_code(NoticeStatus s) {
    switch (s) {
        case NoticeStatus::kDraft:
            return "draft";
        case NoticeStatus::kPublished:
            return "published";
        case NoticeStatus::kClosed:
            return "closed";
        case NoticeStatus::kAwarded:
            return "awarded";
        case NoticeStatus::kUnsuccessful:
            return "unsuccessful";
    }
    return "draft";
}

std::optional<NoticeStatus> parse_notice_status(const std::string& code) {
    for (auto s : {NoticeStatus::kDraft, NoticeStatus::kPublished, NoticeStatus::kClosed, NoticeStatus::kAwarded,
                   NoticeStatus::kUnsuccessful})
        if (notice_status_code(s) == code) return s;
    return std::nullopt;
}

std::string notice_status_label(NoticeStatus s) {
    switch (s) {
        case NoticeStatus::kDraft:
            return "Brouillon";
        case NoticeStatus::kPublished:
            return "En cours";
        case NoticeStatus::kClosed:
            return "Clôturée";
        case NoticeStatus::kAwarded:
            return "Attribuée";
        case NoticeStatus::kUnsuccessful:
            return "Infructueuse";
    }
    return "";
}

bool notice_transition_allowed(NoticeStatus from, NoticeStatus to) {
    switch (from) {
        case NoticeStatus::kDraft:
            return to == NoticeStatus::kPublished;
        case NoticeStatus::kPublished:
            return to == NoticeStatus::kClosed;
        case NoticeStatus::kClosed:
            return to == NoticeStatus::kAwarded || to == NoticeStatus::kUnsuccessful;
        default:
            return false;
    }
}

NoticeStatus effective_notice_status(NoticeStatus stored, std::int64_t bid_deadline, std::int64_t now) {
    if (stored == NoticeStatus::kPublished && now >= bid_deadline) return NoticeStatus::kClosed;
    return stored;
}

const std::vector<CodeLabel>& lot_clause_kinds() {
    static const std::vector<CodeLabel> v = {{"none", "Pas de clause sociale"},
                                             {"insertion_hours", "Clause d'insertion (heures)"},
                                             {"reserved_siae", "Lot réservé aux SIAE"},
                                             {"reserved_ea_esat", "Lot réservé aux EA / ESAT"},
                                             {"reserved_ess", "Lot réservé aux entreprises de l'ESS"},
                                             {"award_criterion", "Critère d'attribution insertion"}};
    return v;
}

std::optional<std::int64_t> parse_paris_datetime(const std::string& raw) {
    const std::string s = trim(raw);
    std::size_t pos = 0;
    auto digits = [&](std::size_t n, int& out) {
        if (pos + n > s.size()) return false;
        out = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const char c = s[pos + i];
            if (c < '0' || c > '9') return false;
            out = out * 10 + (c - '0');
        }
        pos += n;
        return true;
    };
    auto sep = [&](char c) { return pos < s.size() && s[pos] == c ? (++pos, true) : false; };
    int y, mo, d, h, mi, sec = 0;
    if (!digits(4, y) || !sep('-') || !digits(2, mo) || !sep('-') || !digits(2, d)) return std::nullopt;
    if (!sep('T') && !sep(' ') && !sep('t')) return std::nullopt;
    if (!digits(2, h) || !sep(':') || !digits(2, mi)) return std::nullopt;
    if (sep(':')) {
        if (!digits(2, sec) || sec > 60) return std::nullopt;
        if (sep('.') || sep(','))  // fractions of a second are dropped
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || y < 2000 || y > 2100)
        return std::nullopt;
    const std::int64_t local = from_utc(y, mo, d, h, mi) + std::min(sec, 59);
    auto back = to_utc(local);
    if (back.day != d || back.month != mo) return std::nullopt;  // 31 February
    if (pos == s.size()) {
        // No offset: Paris time. The Paris offset at that moment (try winter, then check).
        std::int64_t t1 = local - 3600;
        return paris_utc_offset(t1) == 3600 ? t1 : local - 7200;
    }
    // An RFC 3339 offset: Z, +HH:MM or -HH:MM (+HHMM accepted).
    if (sep('Z') || sep('z')) return pos == s.size() ? std::optional<std::int64_t>(local) : std::nullopt;
    int sign = 0;
    if (sep('+'))
        sign = 1;
    else if (sep('-'))
        sign = -1;
    else
        return std::nullopt;
    int oh, om;
    if (!digits(2, oh)) return std::nullopt;
    (void)sep(':');
    if (!digits(2, om) || pos != s.size() || oh > 23 || om > 59) return std::nullopt;
    return local - sign * (oh * 3600 + om * 60);
}

std::string format_paris_datetime_local(std::int64_t t) {
    auto c = to_paris(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", c.year, c.month, c.day, c.hour, c.minute);
    return buf;
}

Result<NoticeData> validate_notice(const NoticeInput& in, std::int64_t now, bool for_publication) {
    core::FieldErrors errors;
    NoticeData out;
    out.reference = trim(in.reference);
    if (out.reference.empty())
        errors["reference"] = "La référence de la consultation est obligatoire (par exemple 2027-TX-014).";
    else if (utf8_length(out.reference) > 50 || !is_clean_line(out.reference))
        errors["reference"] = "La référence doit compter au plus 50 caractères.";
    out.title = trim(in.title);
    if (out.title.empty())
        errors["title"] = "L'objet de la consultation est obligatoire.";
    else if (utf8_length(out.title) > 250 || !is_clean_line(out.title))
        errors["title"] = "L'objet doit compter au plus 250 caractères.";
    out.description = trim(in.description);
    if (utf8_length(out.description) > 20000 || !is_clean_text(out.description))
        errors["description"] = "La description doit compter au plus 20 000 caractères.";
    out.procedure = trim(in.procedure);
    if (!label_of(procedures(), out.procedure)) errors["procedure"] = "Choisissez la procédure dans la liste.";

    auto bid = parse_paris_datetime(in.bid_deadline);
    if (!bid)
        errors["bid_deadline"] = "Indiquez la date limite de remise des offres (jour et heure).";
    else
        out.bid_deadline = *bid;
    if (trim(in.question_deadline).empty()) {
        if (bid) out.question_deadline = *bid - 6 * 86400;
    } else if (auto q = parse_paris_datetime(in.question_deadline)) {
        out.question_deadline = *q;
    } else {
        errors["question_deadline"] = "La date limite des questions n'est pas une date valide.";
    }
    if (bid && !errors.count("question_deadline") && out.question_deadline >= out.bid_deadline)
        errors["question_deadline"] = "La date limite des questions doit précéder la date limite de remise des offres.";
    if (for_publication && bid && out.bid_deadline <= now + 3600)
        errors["bid_deadline"] = "La date limite de remise des offres doit être dans le futur.";

    if (in.lots.empty()) errors["lots"] = "Une consultation compte au moins un lot.";
    if (in.lots.size() > 100) errors["lots"] = "Une consultation compte au plus 100 lots.";
    int number = 0;
    std::string why;
    for (const auto& l : in.lots) {
        ++number;
        const std::string key = "lots." + std::to_string(number) + ".";
        LotData lot;
        lot.number = number;
        lot.title = trim(l.title);
        if (lot.title.empty() && in.lots.size() > 1)
            errors[key + "title"] = "Lot " + std::to_string(number) + " : l'intitulé est obligatoire.";
        if (lot.title.empty() && in.lots.size() == 1) lot.title = out.title;
        if (utf8_length(lot.title) > 250 || !is_clean_line(lot.title))
            errors[key + "title"] = "Lot " + std::to_string(number) + " : intitulé trop long.";
        auto cpv = parse_cpv(l.cpv_code, &why);
        if (!cpv)
            errors[key + "cpv_code"] = "Lot " + std::to_string(number) + " : " + why;
        else
            lot.cpv_code = cpv->code;
        if (!trim(l.estimated_amount).empty()) {
            auto amount = parse_euros(l.estimated_amount);
            if (!amount)
                errors[key + "estimated_amount"] =
                    "Lot " + std::to_string(number) + " : le montant estimé doit être un nombre d'euros.";
            else
                lot.estimated_amount = *amount;
        }
        std::set<std::string> deps;
        for (const auto& d : l.departements) {
            std::string t = trim(d);
            if (t.empty()) continue;
            if (!is_departement_code(t)) {
                errors[key + "departements"] =
                    "Lot " + std::to_string(number) + " : « " + t.substr(0, 10) + " » n'est pas un département.";
                break;
            }
            deps.insert(t);
        }
        lot.departements.assign(deps.begin(), deps.end());
        lot.clause_kind = trim(l.clause_kind).empty() ? "none" : trim(l.clause_kind);
        if (!label_of(lot_clause_kinds(), lot.clause_kind))
            errors[key + "clause_kind"] = "Lot " + std::to_string(number) + " : type de clause inconnu.";
        if (lot.clause_kind == "insertion_hours") {
            auto hours = parse_euros(l.insertion_hours);  // same digit rules
            if (!hours || *hours <= 0 || *hours > 1000000)
                errors[key + "insertion_hours"] =
                    "Lot " + std::to_string(number) + " : indiquez le nombre d'heures d'insertion exigées.";
            else
                lot.insertion_hours = *hours;
        }
        out.lots.push_back(std::move(lot));
    }
    if (!errors.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(errors));
    return out;
}

std::vector<std::string> notice_changes(const NoticeData& a, const NoticeData& b) {
    std::vector<std::string> out;
    if (a.reference != b.reference) out.push_back("Référence : " + a.reference + " → " + b.reference);
    if (a.title != b.title) out.push_back("Objet : « " + a.title + " » → « " + b.title + " »");
    if (a.description != b.description) out.push_back("Description modifiée");
    if (a.procedure != b.procedure) out.push_back("Procédure modifiée");
    if (a.bid_deadline != b.bid_deadline)
        out.push_back("Date limite de remise des offres : " + format_datetime_fr(a.bid_deadline) + " → " +
                      format_datetime_fr(b.bid_deadline));
    if (a.question_deadline != b.question_deadline)
        out.push_back("Date limite des questions : " + format_datetime_fr(a.question_deadline) + " → " +
                      format_datetime_fr(b.question_deadline));
    if (a.lots.size() != b.lots.size())
        out.push_back("Nombre de lots : " + std::to_string(a.lots.size()) + " → " + std::to_string(b.lots.size()));
    for (std::size_t i = 0; i < std::min(a.lots.size(), b.lots.size()); ++i) {
        const auto& x = a.lots[i];
        const auto& y = b.lots[i];
        const std::string lot = "Lot " + std::to_string(i + 1) + " : ";
        if (x.title != y.title) out.push_back(lot + "intitulé modifié");
        if (x.cpv_code != y.cpv_code) out.push_back(lot + "code CPV " + x.cpv_code + " → " + y.cpv_code);
        if (x.estimated_amount != y.estimated_amount)
            out.push_back(lot + "montant estimé " + format_amount_eur(x.estimated_amount) + " → " +
                          format_amount_eur(y.estimated_amount));
        if (x.departements != y.departements) out.push_back(lot + "lieux d'exécution modifiés");
        if (x.clause_kind != y.clause_kind || x.insertion_hours != y.insertion_hours)
            out.push_back(lot + "clause sociale modifiée");
    }
    return out;
}

bool questions_open(const NoticeData& n, std::int64_t now) { return now < n.question_deadline; }

std::string lot_clause_for_intent(const std::string& intent) {
    if (intent == "insertion") return "insertion_hours";
    return label_of(lot_clause_kinds(), intent) ? intent : "none";
}

Result<AwardDecision> validate_award(const std::vector<LotAwardInput>& lots, const std::string& notified_on,
                                     std::int64_t now) {
    core::FieldErrors errors;
    AwardDecision out;
    const std::string day = trim(notified_on);
    const CivilTime today = to_paris(now);
    char today_iso[16];
    std::snprintf(today_iso, sizeof today_iso, "%04d-%02d-%02d", today.year, today.month, today.day);
    if (!parse_iso_day(day))
        errors["notified_on"] = "Indiquez la date de notification (jj/mm/aaaa).";
    else if (day > std::string(today_iso))
        errors["notified_on"] = "La date de notification ne peut pas être dans le futur.";
    out.notified_on = day;
    bool any_awarded = false;
    for (const auto& in : lots) {
        const std::string p = "lot_" + std::to_string(in.lot_number) + "_";
        const std::string lot = "Lot " + std::to_string(in.lot_number) + " : ";
        LotAward a;
        a.lot_number = in.lot_number;
        a.unsuccessful = in.unsuccessful;
        if (!in.unsuccessful) {
            any_awarded = true;
            std::string why;
            if (auto siret = parse_siret(in.winner_siret, &why))
                a.winner_siret = *siret;
            else
                errors[p + "siret"] =
                    lot + (why.empty() ? why : static_cast<char>(std::tolower(why[0])) + why.substr(1));
            a.winner_name = trim(in.winner_name);
            if (a.winner_name.empty()) errors[p + "name"] = lot + "indiquez le nom du titulaire.";
            if (utf8_length(a.winner_name) > 200) errors[p + "name"] = lot + "le nom compte au plus 200 caractères.";
            auto amount = parse_euros(in.amount);
            if (!amount || *amount <= 0)
                errors[p + "amount"] = lot + "indiquez le montant attribué en euros HT, par exemple 125 000.";
            else
                a.amount = *amount;
        }
        out.lots.push_back(std::move(a));
    }
    if (!any_awarded) errors["lots"] = "Aucun lot n'est attribué : déclarez plutôt la consultation infructueuse.";
    if (!errors.empty()) return Error::Invalid("Vérifiez l'attribution.", errors);
    return out;
}

}  // namespace passerelle::core
