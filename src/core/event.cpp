#include "core/event.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/validation.hpp"

namespace passerelle::core::events {

namespace {

// "HH:MM" on `day` ("YYYY-MM-DD"), Paris time.
std::optional<std::int64_t> at(const std::string& day, const std::string& hhmm) {
    std::string t = trim(hhmm);
    if (t.size() == 4 && t[1] == ':') t = "0" + t;  // 8:30
    if (t.size() != 5 || t[2] != ':') return std::nullopt;
    return parse_paris_datetime(trim(day) + "T" + t);
}

// True when `hhmm` is an hour of the day ("08:30", "8:30"), whatever the day.
bool parse_hhmm(const std::string& hhmm) { return at("2026-01-05", hhmm).has_value(); }

void check_text(core::FieldErrors& errors, const std::string& field, const std::string& v, std::size_t max,
                bool required, const char* what) {
    if (required && v.empty())
        errors[field] = std::string("Indiquez ") + what + ".";
    else if (utf8_length(v) > max)
        errors[field] = "Ce texte est trop long (" + std::to_string(max) + " caractères au plus).";
    else if (!is_clean_text(v))
        errors[field] = "Ce texte contient des caractères non autorisés.";
}

}  // namespace

bool is_session_kind(const std::string& k) { return k == "plenary" || k == "pitch" || k == "networking"; }

std::string session_kind_label(const std::string& k) {
    if (k == "plenary") return "Plénière";
    if (k == "pitch") return "Pitchs";
    if (k == "networking") return "Rendez-vous d'affaires";
    return k;
}

Result<EventData> validate_event(const EventInput& in) {
    core::FieldErrors errors;
    EventData out;
    out.title = trim(in.title);
    out.summary = trim(in.summary);
    out.description = trim(in.description);
    out.place = trim(in.place);
    out.address = trim(in.address);
    check_text(errors, "title", out.title, 200, true, "le titre de l'événement");
    check_text(errors, "summary", out.summary, 500, false, "");
    if (utf8_length(out.description) > 20000) errors["description"] = "La description est trop longue.";
    check_text(errors, "place", out.place, 200, true, "le lieu");
    check_text(errors, "address", out.address, 300, false, "");

    auto start = at(in.day, in.starts);
    auto end = at(in.day, in.ends);
    // Each of the day and the hours on its own field; a sequence's hours are checked only against a valid day.
    const bool day_ok = parse_iso_day(trim(in.day)).has_value();
    if (!day_ok) errors["day"] = "Indiquez le jour de l'événement (AAAA-MM-JJ).";
    if (!parse_hhmm(in.starts)) errors["starts"] = "Indiquez l'heure de début (HH:MM).";
    if (!parse_hhmm(in.ends))
        errors["ends"] = "Indiquez l'heure de fin (HH:MM).";
    else if (start && end && *end <= *start)
        errors["ends"] = "L'événement doit finir après son début.";
    if (start && end) {
        out.starts_at = *start;
        out.ends_at = *end;
    }

    auto optional_datetime = [&](const std::string& field, const std::string& raw, std::optional<std::int64_t>& dst) {
        if (trim(raw).empty()) return;
        if (auto t = parse_paris_datetime(raw))
            dst = *t;
        else
            errors[field] = "Ce n'est pas une date valide (jour et heure).";
    };
    optional_datetime("registration_opens", in.registration_opens, out.registration_opens_at);
    optional_datetime("registration_closes", in.registration_closes, out.registration_closes_at);
    if (out.registration_opens_at && out.registration_closes_at &&
        *out.registration_closes_at <= *out.registration_opens_at)
        errors["registration_closes"] = "La clôture des inscriptions doit suivre leur ouverture.";
    if (start && out.registration_closes_at && *out.registration_closes_at > *start)
        errors["registration_closes"] = "Les inscriptions doivent fermer avant le début de l'événement.";
    std::optional<std::int64_t> deadline;
    optional_datetime("requests_deadline", in.requests_deadline, deadline);
    if (deadline) {
        out.requests_deadline = *deadline;
        if (start && *deadline > *start)
            errors["requests_deadline"] = "Les demandes de rendez-vous doivent être closes avant l'événement.";
    } else if (start && !errors.count("requests_deadline")) {
        // The day before at 18:00.
        auto c = to_paris(*start - 86400);
        char buf[24];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT18:00", c.year, c.month, c.day);
        out.requests_deadline = parse_paris_datetime(buf).value_or(*start);
    }

    auto capacity = [&](const std::string& field, const std::string& raw, std::optional<int>& dst) {
        if (trim(raw).empty()) return;
        auto v = parse_int(raw);
        if (!v || *v < 1 || *v > 100000)
            errors[field] = "Indiquez un nombre de places entre 1 et 100 000, ou laissez vide (sans limite).";
        else
            dst = *v;
    };
    capacity("capacity_buyers", in.capacity_buyers, out.capacity_buyers);
    capacity("capacity_companies", in.capacity_companies, out.capacity_companies);
    if (!trim(in.max_per_org).empty()) {
        auto v = parse_int(in.max_per_org);
        if (!v || *v < 1 || *v > 50)
            errors["max_per_org"] = "Indiquez entre 1 et 50 personnes par organisation.";
        else
            out.max_per_org = *v;
    }
    out.approval_required = in.approval_required;

    for (std::size_t i = 0; i < in.sessions.size(); ++i) {
        const auto& s = in.sessions[i];
        const std::string key = "sessions." + std::to_string(i + 1) + ".";
        if (trim(s.kind).empty() && trim(s.title).empty() && trim(s.starts).empty()) continue;
        Session v;
        v.kind = trim(s.kind);
        v.title = trim(s.title);
        if (!is_session_kind(v.kind)) {
            errors[key + "kind"] = "Choisissez le type de la séquence.";
            continue;
        }
        if (v.title.empty()) v.title = session_kind_label(v.kind);
        check_text(errors, key + "title", v.title, 200, true, "le titre de la séquence");
        if (!day_ok) continue;  // the day's own error says what to fix first
        auto a = at(in.day, s.starts);
        auto b = at(in.day, s.ends);
        if (!a) {
            errors[key + "starts"] = "Indiquez l'heure de début de la séquence (HH:MM).";
            continue;
        }
        if (!b || *b <= *a) {
            errors[key + "ends"] = "La séquence doit finir après son début.";
            continue;
        }
        if (start && end && (*a < *start || *b > *end)) {
            errors[key + "starts"] = "La séquence doit tenir dans les horaires de l'événement.";
            continue;
        }
        v.starts_at = *a;
        v.ends_at = *b;
        if (v.kind == "networking") {
            auto m = parse_int(s.slot_minutes);
            if (!m || *m < 5 || *m > 120) {
                errors[key + "slot_minutes"] = "Indiquez la durée d'un créneau (de 5 à 120 minutes).";
                continue;
            }
            if ((*b - *a) / 60 < *m) {
                errors[key + "slot_minutes"] = "La séquence est plus courte qu'un créneau.";
                continue;
            }
            v.slot_minutes = *m;
            if (!trim(s.tables).empty()) {
                auto t = parse_int(s.tables);
                if (!t || *t < 1 || *t > 1000) {
                    errors[key + "tables"] = "Indiquez un nombre de tables entre 1 et 1 000, ou laissez vide.";
                    continue;
                }
                v.tables = *t;
            }
        }
        out.sessions.push_back(std::move(v));
    }
    std::stable_sort(out.sessions.begin(), out.sessions.end(),
                     [](const Session& a, const Session& b) { return a.starts_at < b.starts_at; });
    // Sessions follow each other, except pitches held while meetings go on (pitchers then have no meeting).
    for (std::size_t i = 0; i < out.sessions.size() && !errors.count("sessions"); ++i)
        for (std::size_t j = i + 1; j < out.sessions.size(); ++j) {
            const auto& a = out.sessions[i];
            const auto& b = out.sessions[j];
            if (b.starts_at >= a.ends_at) continue;
            const bool parallel =
                (a.kind == "pitch" && b.kind == "networking") || (a.kind == "networking" && b.kind == "pitch");
            if (parallel) continue;
            errors["sessions"] = "Deux séquences du programme se chevauchent : « " + a.title + " » et « " + b.title +
                                 " » (seuls des pitchs peuvent avoir lieu pendant les rendez-vous).";
            break;
        }
    if (slots_of(out.sessions).size() > 96) errors["sessions"] = "Le programme compte trop de créneaux (96 au plus).";

    for (std::size_t i = 0; i < in.questions.size(); ++i) {
        Question q{trim(in.questions[i].label), in.questions[i].required};
        if (q.label.empty()) continue;
        check_text(errors, "questions." + std::to_string(i + 1) + ".label", q.label, 300, true, "la question");
        out.questions.push_back(std::move(q));
    }

    if (!errors.empty()) return Error::Invalid("L'événement contient des erreurs.", std::move(errors));
    return out;
}

std::vector<Slot> slots_of(const std::vector<Session>& sessions) {
    std::vector<Slot> out;
    for (const auto& s : sessions) {
        if (s.kind != "networking" || !s.slot_minutes || *s.slot_minutes <= 0) continue;
        const std::int64_t len = std::int64_t{*s.slot_minutes} * 60;
        for (std::int64_t t = s.starts_at; t + len <= s.ends_at; t += len)
            out.push_back({static_cast<int>(out.size()), t, t + len});
    }
    return out;
}

std::optional<int> tables_of(const std::vector<Session>& sessions) {
    std::optional<int> out;
    for (const auto& s : sessions)
        if (s.kind == "networking" && s.tables) out = out ? std::min(*out, *s.tables) : *s.tables;
    return out;
}

std::vector<int> slots_during_pitches(const std::vector<Session>& sessions) {
    std::vector<int> out;
    for (const auto& slot : slots_of(sessions))
        for (const auto& s : sessions)
            if (s.kind == "pitch" && s.starts_at < slot.ends_at && slot.starts_at < s.ends_at) {
                out.push_back(slot.number);
                break;
            }
    return out;
}

std::vector<int> parse_slot_list(const std::string& s, int num_slots) {
    std::set<int> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        if (auto v = parse_int(item); v && *v >= 0 && *v < num_slots) out.insert(*v);
    return {out.begin(), out.end()};
}

std::string format_slot_list(const std::vector<int>& slots) {
    std::string out;
    for (int s : slots) out += (out.empty() ? "" : ",") + std::to_string(s);
    return out;
}

std::vector<int> assign_tables(const std::vector<PlacedMeeting>& meetings, std::optional<int> tables) {
    std::vector<std::int64_t> buyers;
    for (const auto& m : meetings) buyers.push_back(m.buyer_org_id);
    std::sort(buyers.begin(), buyers.end());
    buyers.erase(std::unique(buyers.begin(), buyers.end()), buyers.end());
    std::vector<int> out(meetings.size(), 0);
    if (!tables || static_cast<std::size_t>(*tables) >= buyers.size()) {
        for (std::size_t i = 0; i < meetings.size(); ++i)
            out[i] = static_cast<int>(std::lower_bound(buyers.begin(), buyers.end(), meetings[i].buyer_org_id) -
                                      buyers.begin()) +
                     1;
        return out;
    }
    std::map<int, int> next;  // slot -> next free table
    for (std::size_t i = 0; i < meetings.size(); ++i) out[i] = ++next[meetings[i].slot];
    return out;
}

Availability registration_window(const std::string& event_status, std::optional<std::int64_t> opens_at,
                                 std::optional<std::int64_t> closes_at, std::int64_t starts_at, std::int64_t now) {
    if (event_status != "published") return Availability::kNotPublished;
    if (opens_at && now < *opens_at) return Availability::kNotYetOpen;
    if (now >= closes_at.value_or(starts_at)) return Availability::kClosed;
    return Availability::kOpen;
}

std::string registration_window_message(Availability a, std::optional<std::int64_t> opens_at) {
    switch (a) {
        case Availability::kOpen:
            return "";
        case Availability::kNotYetOpen:
            return "Les inscriptions ouvriront le " + (opens_at ? format_datetime_fr(*opens_at) : std::string("")) +
                   ".";
        case Availability::kClosed:
            return "Les inscriptions sont closes.";
        case Availability::kNotPublished:
            return "Cet événement n'est pas ouvert aux inscriptions.";
    }
    return "";
}

std::string initial_registration_status(bool approval_required, bool seat_free) {
    if (approval_required) return "pending";
    return seat_free ? "confirmed" : "waitlisted";
}

std::string registration_status_label(const std::string& s) {
    if (s == "pending") return "En attente de validation";
    if (s == "confirmed") return "Confirmée";
    if (s == "waitlisted") return "Liste d'attente";
    if (s == "cancelled") return "Annulée";
    if (s == "refused") return "Refusée";
    return s;
}

std::string role_label(const std::string& role) {
    if (role == "buyer") return "Acheteur public";
    if (role == "company") return "Entreprise";
    return role;
}

std::string effective_request_status(const std::string& status, std::int64_t deadline, std::int64_t now) {
    if (status == "pending" && deadline > 0 && now >= deadline) return "expired";
    return status;
}

std::string request_status_label(const std::string& s) {
    if (s == "pending") return "En attente de réponse";
    if (s == "accepted") return "Acceptée";
    if (s == "declined") return "Déclinée";
    if (s == "expired") return "Expirée";
    if (s == "withdrawn") return "Retirée";
    return s;
}

RequestActions request_actions(const std::string& status, bool incoming, bool buyer_side, bool event_started) {
    RequestActions a;
    a.answer = incoming && status == "pending";
    a.withdraw = !incoming && status == "pending" && !event_started;
    a.cancel = status == "accepted" && !event_started;
    a.prioritise = buyer_side && (status == "pending" || status == "accepted");
    return a;
}

int meeting_weight(bool mutual, bool priority) { return 1 + (mutual ? 1 : 0) + (priority ? 1 : 0); }

Result<std::optional<int>> parse_cap(const std::string& s, int num_slots) {
    if (trim(s).empty()) return std::optional<int>{};
    auto v = parse_int(s);
    if (!v || *v < 1 || *v > std::max(1, num_slots))
        return Error::Invalid(
            "Le plafond est invalide.",
            {{"max_meetings", "Indiquez un nombre de rendez-vous entre 1 et " + std::to_string(std::max(1, num_slots)) +
                                  " (le nombre de créneaux), ou laissez vide."}});
    return std::optional<int>{*v};
}

FeedbackSummary summarise_feedback(const std::vector<SideFeedback>& sides) {
    FeedbackSummary out;
    std::map<std::int64_t, std::pair<bool, bool>> meetings;  // held by a side, follow-up by a side
    int sum = 0;
    for (const auto& f : sides) {
        auto& m = meetings[f.meeting];
        m.first = m.first || f.held;
        m.second = m.second || f.follow_up;
        if (f.held && f.usefulness && *f.usefulness >= 1 && *f.usefulness <= 5) {
            ++out.usefulness[static_cast<std::size_t>(*f.usefulness - 1)];
            ++out.ratings;
            sum += *f.usefulness;
        }
    }
    out.meetings = static_cast<int>(meetings.size());
    for (const auto& [id, m] : meetings) {
        (m.first ? out.held : out.not_held) += 1;
        out.follow_ups += m.second ? 1 : 0;
    }
    out.usefulness_mean = out.ratings ? static_cast<double>(sum) / out.ratings : 0;
    return out;
}

Result<std::optional<int>> parse_usefulness(const std::string& s, bool held) {
    if (!held || trim(s).empty()) return std::optional<int>{};
    auto v = parse_int(s);
    if (!v || *v < 1 || *v > 5)
        return Error::Invalid("L'utilité se note de 1 à 5.", {{"usefulness", "Une note de 1 à 5."}});
    return std::optional<int>{*v};
}

}  // namespace passerelle::core::events
