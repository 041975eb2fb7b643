// The instance and schedule formats, validity, the quality measures and the first-free-slot baseline.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sched/schedule.hpp"

namespace passerelle::sched {

using nlohmann::json;

bool Instance::available(int participant, int slot) const {
    const auto& p = participants[static_cast<std::size_t>(participant)];
    return p.all_slots || std::binary_search(p.avail.begin(), p.avail.end(), slot);
}

namespace {

bool is_int(const json& j) { return j.is_number_integer() || j.is_number_unsigned(); }

}  // namespace

std::optional<Instance> parse_instance(const std::string& text, std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<Instance> {
        if (error) *error = why;
        return std::nullopt;
    };
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) return fail("not a JSON document");
    if (!doc.is_object()) return fail("the instance is not a JSON object");
    if (!doc.contains("format") || doc["format"] != "b2bsched-v1") return fail("format: expected \"b2bsched-v1\"");
    Instance in;
    if (doc.contains("name") && doc["name"].is_string()) in.name = doc["name"];
    if (!doc.contains("num_slots") || !is_int(doc["num_slots"]) || doc["num_slots"].get<long long>() < 1 ||
        doc["num_slots"].get<long long>() > 10000)
        return fail("num_slots: expected an integer from 1 to 10000");
    in.num_slots = doc["num_slots"].get<int>();
    if (doc.contains("slot_labels") && !doc["slot_labels"].is_null()) {
        const auto& l = doc["slot_labels"];
        if (!l.is_array() || static_cast<int>(l.size()) != in.num_slots)
            return fail("slot_labels: expected a list of num_slots labels");
    }
    if (doc.contains("tables") && !doc["tables"].is_null()) {
        if (!is_int(doc["tables"]) || doc["tables"].get<long long>() < 0)
            return fail("tables: expected null or an integer >= 0");
        in.tables = doc["tables"].get<int>();
    }
    if (!doc.contains("participants") || !doc["participants"].is_array()) return fail("participants: expected a list");
    const auto& ps = doc["participants"];
    for (std::size_t i = 0; i < ps.size(); ++i) {
        const auto& p = ps[i];
        const std::string where = "participants[" + std::to_string(i) + "]";
        if (!p.is_object()) return fail(where + ": expected an object");
        if (!p.contains("id") || !is_int(p["id"]) || p["id"].get<long long>() != static_cast<long long>(i))
            return fail(where + ": id must be " + std::to_string(i) + " (ids are 0..P-1 in order)");
        Participant out;
        out.id = static_cast<int>(i);
        if (p.contains("name") && p["name"].is_string()) out.name = p["name"];
        if (!p.contains("role") || (p["role"] != "buyer" && p["role"] != "company"))
            return fail(where + ": role must be \"buyer\" or \"company\"");
        out.buyer = p["role"] == "buyer";
        if (p.contains("avail") && !p["avail"].is_null()) {
            if (!p["avail"].is_array()) return fail(where + ": avail must be null or a list of slots");
            std::set<int> slots;
            for (const auto& s : p["avail"]) {
                if (!is_int(s) || s.get<long long>() < 0 || s.get<long long>() >= in.num_slots)
                    return fail(where + ": avail holds a slot out of range (0.." + std::to_string(in.num_slots - 1) +
                                ")");
                slots.insert(s.get<int>());
            }
            out.all_slots = false;
            out.avail.assign(slots.begin(), slots.end());
        }
        if (p.contains("cap") && !p["cap"].is_null()) {
            if (!is_int(p["cap"]) || p["cap"].get<long long>() < 0)
                return fail(where + ": cap must be null or an integer >= 0");
            out.cap = p["cap"].get<int>();
        }
        in.participants.push_back(std::move(out));
    }
    if (!doc.contains("requests") || !doc["requests"].is_array()) return fail("requests: expected a list");
    const auto& rs = doc["requests"];
    std::map<std::pair<int, int>, int> pairs;
    const long long n = static_cast<long long>(in.participants.size());
    for (std::size_t i = 0; i < rs.size(); ++i) {
        const auto& r = rs[i];
        const std::string where = "requests[" + std::to_string(i) + "]";
        if (!r.is_object()) return fail(where + ": expected an object");
        if (!r.contains("id") || !is_int(r["id"]) || r["id"].get<long long>() != static_cast<long long>(i))
            return fail(where + ": id must be " + std::to_string(i) + " (ids are 0..R-1 in order)");
        for (const char* k : {"from", "to"})
            if (!r.contains(k) || !is_int(r[k]) || r[k].get<long long>() < 0 || r[k].get<long long>() >= n)
                return fail(where + ": " + k + " is not a participant id");
        Request out;
        out.id = static_cast<int>(i);
        out.from = r["from"].get<int>();
        out.to = r["to"].get<int>();
        if (out.from == out.to) return fail(where + ": from and to are the same participant");
        if (!r.contains("weight") || !is_int(r["weight"]) || r["weight"].get<long long>() < 1 ||
            r["weight"].get<long long>() > 1000000)
            return fail(where + ": weight must be an integer >= 1");
        out.weight = r["weight"].get<int>();
        auto key = std::minmax(out.from, out.to);
        if (auto [it, fresh] = pairs.emplace(key, out.id); !fresh)
            return fail(where + ": duplicate pair (" + std::to_string(key.first) + ", " + std::to_string(key.second) +
                        "), already requested by request " + std::to_string(it->second));
        in.requests.push_back(out);
    }
    return in;
}

std::string schedule_json(const Instance& in, const Schedule& s, const std::string& solver) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["instance"] = in.name;
    out["solver"] = solver;
    out["objective"] = s.objective;
    out["upper_bound"] = s.upper_bound;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    auto sorted = s.assignments;
    std::sort(sorted.begin(), sorted.end(),
              [](const Assignment& a, const Assignment& b) { return a.request_id < b.request_id; });
    for (const auto& a : sorted) {
        nlohmann::ordered_json item;
        item["request_id"] = a.request_id;
        item["slot"] = a.slot;
        list.push_back(item);
    }
    out["assignments"] = list;
    // One assignment per line.
    std::string text = out.dump();
    std::string pretty;
    pretty.reserve(text.size() + sorted.size() * 2);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "{\"") == 0 && i > 0) pretty += "\n  ";
        pretty += text[i];
    }
    return pretty + "\n";
}

std::string check(const Instance& in, const std::vector<Assignment>& a) {
    const int P = static_cast<int>(in.participants.size()), T = in.num_slots;
    std::vector<int> busy(static_cast<std::size_t>(P) * static_cast<std::size_t>(T), -1),
        degree(static_cast<std::size_t>(P), 0), per_slot(static_cast<std::size_t>(T), 0);
    std::vector<char> seen(in.requests.size(), 0);
    for (const auto& x : a) {
        const std::string where = "request " + std::to_string(x.request_id);
        if (x.request_id < 0 || x.request_id >= static_cast<int>(in.requests.size()))
            return where + ": no such request";
        if (seen[static_cast<std::size_t>(x.request_id)]) return where + ": scheduled twice";
        seen[static_cast<std::size_t>(x.request_id)] = 1;
        if (x.slot < 0 || x.slot >= T) return where + ": slot out of range";
        const auto& r = in.requests[static_cast<std::size_t>(x.request_id)];
        for (int p : {r.from, r.to}) {
            if (!in.available(p, x.slot)) return where + ": participant " + std::to_string(p) + " is not available";
            auto& cell =
                busy[static_cast<std::size_t>(p) * static_cast<std::size_t>(T) + static_cast<std::size_t>(x.slot)];
            if (cell >= 0)
                return where + ": participant " + std::to_string(p) + " already meets at that slot (request " +
                       std::to_string(cell) + ")";
            cell = x.request_id;
            const auto& part = in.participants[static_cast<std::size_t>(p)];
            if (part.cap && ++degree[static_cast<std::size_t>(p)] > *part.cap)
                return where + ": participant " + std::to_string(p) + " exceeds its cap";
        }
        if (in.tables && ++per_slot[static_cast<std::size_t>(x.slot)] > *in.tables)
            return where + ": no table left in the slot";
    }
    return "";
}

std::int64_t weight_of(const Instance& in, const std::vector<Assignment>& a) {
    std::int64_t w = 0;
    for (const auto& x : a) w += in.requests[static_cast<std::size_t>(x.request_id)].weight;
    return w;
}

int companies_without_meeting(const Instance& in, const std::vector<Assignment>& a) {
    std::vector<char> asked(in.participants.size(), 0), met(in.participants.size(), 0);
    for (const auto& r : in.requests)
        asked[static_cast<std::size_t>(r.from)] = asked[static_cast<std::size_t>(r.to)] = 1;
    for (const auto& x : a) {
        const auto& r = in.requests[static_cast<std::size_t>(x.request_id)];
        met[static_cast<std::size_t>(r.from)] = met[static_cast<std::size_t>(r.to)] = 1;
    }
    int n = 0;
    for (const auto& p : in.participants)
        if (!p.buyer && asked[static_cast<std::size_t>(p.id)] && !met[static_cast<std::size_t>(p.id)]) ++n;
    return n;
}

int idle_gaps(const Instance& in, const std::vector<Assignment>& a) {
    std::vector<std::vector<int>> slots(in.participants.size());
    for (const auto& x : a) {
        const auto& r = in.requests[static_cast<std::size_t>(x.request_id)];
        slots[static_cast<std::size_t>(r.from)].push_back(x.slot);
        slots[static_cast<std::size_t>(r.to)].push_back(x.slot);
    }
    int gaps = 0;
    for (auto& s : slots) {
        if (s.size() < 2) continue;
        auto [lo, hi] = std::minmax_element(s.begin(), s.end());
        gaps += (*hi - *lo + 1) - static_cast<int>(s.size());
    }
    return gaps;
}

std::vector<Assignment> first_free_slot(const Instance& in) {
    const std::size_t T = static_cast<std::size_t>(in.num_slots);
    std::vector<char> busy(in.participants.size() * T, 0);
    std::vector<int> degree(in.participants.size(), 0), per_slot(T, 0);
    std::vector<Assignment> out;
    for (const auto& r : in.requests) {
        const auto u = static_cast<std::size_t>(r.from), v = static_cast<std::size_t>(r.to);
        const auto& pu = in.participants[u];
        const auto& pv = in.participants[v];
        if ((pu.cap && degree[u] >= *pu.cap) || (pv.cap && degree[v] >= *pv.cap)) continue;
        for (std::size_t t = 0; t < T; ++t) {
            if (busy[u * T + t] || busy[v * T + t] || !in.available(r.from, static_cast<int>(t)) ||
                !in.available(r.to, static_cast<int>(t)) || (in.tables && per_slot[t] >= *in.tables))
                continue;
            busy[u * T + t] = busy[v * T + t] = 1;
            ++degree[u], ++degree[v], ++per_slot[t];
            out.push_back({r.id, static_cast<int>(t)});
            break;
        }
    }
    return out;
}

}  // namespace passerelle::sched
