#include "storage/external_notice_store.hpp"

namespace passerelle::storage::external_notices {

namespace {

constexpr const char* kColumns =
    "SELECT id, source, source_id, notice_type, buyer_name, buyer_identifier, buyer_org_id, reference, title, "
    "description, procedure, procedure_text, cpv_codes, departements, reservation, published_on, bid_deadline, url, "
    "lots_json, content_hash, imported_at, updated_at FROM external_notices ";

constexpr const char* kFind = "SELECT id, content_hash FROM external_notices WHERE source = ? AND source_id = ?";

constexpr const char* kInsert =
    "INSERT INTO external_notices (notice_type, buyer_name, buyer_identifier, buyer_org_id, reference, title, "
    "description, procedure, procedure_text, cpv_codes, departements, reservation, published_on, bid_deadline, url, "
    "lots_json, content_hash, source, source_id, imported_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

constexpr const char* kUpdate =
    "UPDATE external_notices SET notice_type = ?, buyer_name = ?, buyer_identifier = ?, buyer_org_id = ?, "
    "reference = ?, title = ?, description = ?, procedure = ?, procedure_text = ?, cpv_codes = ?, departements = ?, "
    "reservation = ?, published_on = ?, bid_deadline = ?, url = ?, lots_json = ?, content_hash = ?, updated_at = ? "
    "WHERE id = ?";

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto end = s.find(' ', start);
        if (end == std::string::npos) end = s.size();
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

Value opt_id(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

std::vector<Value> values(const ExternalNoticeRecord& r) {
    return {r.notice_type,
            r.buyer_name,
            r.buyer_identifier,
            opt_id(r.buyer_org_id),
            r.reference,
            r.title,
            r.description,
            r.procedure,
            r.procedure_text,
            join(r.cpv_codes),
            join(r.departements),
            r.reservation,
            r.published_on,
            opt_id(r.bid_deadline),
            r.url,
            r.lots_json,
            r.content_hash};
}

}  // namespace

Result<Upsert> upsert(Connection& c, ExternalNoticeRecord& r, std::int64_t now) {
    auto found = c.query(kFind, {r.source, r.source_id});
    if (!found) return found.error();
    auto v = values(r);
    if (found->empty()) {
        v.insert(v.end(), {Value(r.source), Value(r.source_id), Value(now), Value(now)});
        auto rows = c.query(kInsert, v);
        if (!rows) return rows.error();
        r.id = rows.value()[0].int64(0);
        return Upsert::kInserted;
    }
    r.id = found.value()[0].int64(0);
    if (found.value()[0].text(1) == r.content_hash) return Upsert::kUnchanged;
    v.emplace_back(now);
    v.emplace_back(r.id);
    if (auto u = c.exec(kUpdate, v); !u) return u.error();
    return Upsert::kUpdated;
}

Result<std::optional<ExternalNoticeRecord>> find(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kColumns) + "WHERE id = ?", {id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<ExternalNoticeRecord>{};
    const auto& x = rows.value()[0];
    ExternalNoticeRecord r;
    r.id = x.int64(0);
    r.source = x.text(1);
    r.source_id = x.text(2);
    r.notice_type = x.text(3);
    r.buyer_name = x.text(4);
    r.buyer_identifier = x.text(5);
    r.buyer_org_id = x.opt_int64(6);
    r.reference = x.text(7);
    r.title = x.text(8);
    r.description = x.text(9);
    r.procedure = x.text(10);
    r.procedure_text = x.text(11);
    r.cpv_codes = split(x.text(12));
    r.departements = split(x.text(13));
    r.reservation = x.text(14);
    r.published_on = x.text(15);
    r.bid_deadline = x.opt_int64(16);
    r.url = x.text(17);
    r.lots_json = x.text(18);
    r.content_hash = x.text(19);
    r.imported_at = x.int64(20);
    r.updated_at = x.int64(21);
    return std::optional<ExternalNoticeRecord>(std::move(r));
}

Result<std::vector<std::int64_t>> ids(Connection& c, std::int64_t after, int limit) {
    auto rows =
        c.query("SELECT id FROM external_notices WHERE id > ? ORDER BY id LIMIT ?", {after, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

}  // namespace passerelle::storage::external_notices
