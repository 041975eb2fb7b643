#include "storage/notice_store.hpp"

#include <sstream>

namespace passerelle::storage::notices {

namespace {

constexpr const char* kInsertNotice =
    "INSERT INTO notices (org_id, roadmap_item_id, status, reference, title, search_text, description, procedure, "
    "bid_deadline, question_deadline, created_by, created_at, updated_at, published_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kUpdateNotice =
    "UPDATE notices SET reference = ?, title = ?, search_text = ?, description = ?, procedure = ?, bid_deadline = ?, "
    "question_deadline = ?, updated_at = ? WHERE id = ?";
constexpr const char* kSetStatus =
    "UPDATE notices SET status = ?, updated_at = ?, "
    "published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END WHERE id = ? AND status = ?";
constexpr const char* kNoticeColumns =
    "SELECT n.id, n.org_id, o.name, o.siret, n.roadmap_item_id, n.status, n.reference, n.title, n.search_text, "
    "n.description, n.procedure, n.bid_deadline, n.question_deadline, n.created_by, n.created_at, n.updated_at, "
    "n.published_at, n.withdrawn_at, n.withdrawn_reason FROM notices n JOIN organisations o ON o.id = n.org_id ";
constexpr const char* kLotsOf =
    "SELECT id, number, title, cpv_code, estimated_amount, clause_kind, insertion_hours FROM lots "
    "WHERE notice_id = ? ORDER BY number";
constexpr const char* kLotDeps = "SELECT departement FROM lot_departements WHERE lot_id = ? ORDER BY departement";
constexpr const char* kDeleteLots = "DELETE FROM lots WHERE notice_id = ?";
constexpr const char* kInsertLot =
    "INSERT INTO lots (notice_id, number, title, cpv_code, estimated_amount, clause_kind, insertion_hours) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kInsertLotDep = "INSERT INTO lot_departements (lot_id, departement) VALUES (?, ?)";
constexpr const char* kInsertHistory =
    "INSERT INTO notice_history (notice_id, at, user_id, kind, summary) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kHistory =
    "SELECT at, kind, summary FROM notice_history WHERE notice_id = ? ORDER BY at DESC, id DESC";
constexpr const char* kFollow =
    "INSERT INTO notice_follows (notice_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
constexpr const char* kUnfollow = "DELETE FROM notice_follows WHERE notice_id = ? AND user_id = ?";
constexpr const char* kIsFollowing = "SELECT 1 FROM notice_follows WHERE notice_id = ? AND user_id = ?";
constexpr const char* kFollowerEmails =
    "SELECT u.email FROM notice_follows f JOIN users u ON u.id = f.user_id WHERE f.notice_id = ? ORDER BY u.email";
constexpr const char* kAddQuestion =
    "INSERT INTO notice_questions (notice_id, asker_user_id, asker_org_id, question, asked_at) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr const char* kAnswer =
    "UPDATE notice_questions SET answer = ?, answered_at = ?, answered_by = ? "
    "WHERE id = ? AND notice_id = ? AND answer IS NULL";
constexpr const char* kQuestions =
    "SELECT q.id, q.notice_id, q.asker_user_id, COALESCE(u.email, ''), q.question, q.asked_at, q.answer, q.answered_at "
    "FROM notice_questions q LEFT JOIN users u ON u.id = q.asker_user_id WHERE q.notice_id = ? ORDER BY q.asked_at, "
    "q.id";

Value nullable_id(std::optional<std::int64_t> v) { return v ? Value(*v) : Value(Null{}); }

Status write_lots(Connection& c, const NoticeRecord& n, std::int64_t id) {
    if (auto s = to_status(c.exec(kDeleteLots, {id})); !s) return s;
    for (const auto& l : n.lots) {
        auto lot = c.query(kInsertLot, {id, std::int64_t{l.number}, l.title, l.cpv_code, l.estimated_amount,
                                        l.clause_kind, l.insertion_hours});
        if (!lot) return lot.error();
        std::int64_t lot_id = lot.value()[0].int64(0);
        for (const auto& d : l.departements)
            if (auto s = to_status(c.exec(kInsertLotDep, {lot_id, d})); !s) return s;
    }
    return {};
}

Result<NoticeRecord> notice_from(Connection& c, const Row& r) {
    NoticeRecord n;
    n.id = r.int64(0);
    n.org_id = r.int64(1);
    n.org_name = r.text(2);
    n.org_siret = r.text(3);
    n.roadmap_item_id = r.opt_int64(4);
    n.status = r.text(5);
    n.reference = r.text(6);
    n.title = r.text(7);
    n.search_text = r.text(8);
    n.description = r.text(9);
    n.procedure = r.text(10);
    n.bid_deadline = r.int64(11);
    n.question_deadline = r.int64(12);
    n.created_by = r.opt_int64(13);
    n.created_at = r.int64(14);
    n.updated_at = r.int64(15);
    n.published_at = r.opt_int64(16);
    n.withdrawn_at = r.opt_int64(17);
    n.withdrawn_reason = r.text(18);
    auto lots = c.query(kLotsOf, {n.id});
    if (!lots) return lots.error();
    for (const auto& l : lots.value()) {
        LotRecord lot{static_cast<int>(l.int64(1)), l.text(2), l.text(3), l.int64(4), l.text(5), l.int64(6), {}};
        auto deps = c.query(kLotDeps, {l.int64(0)});
        if (!deps) return deps.error();
        for (const auto& d : deps.value()) lot.departements.push_back(d.text(0));
        n.lots.push_back(std::move(lot));
    }
    return n;
}

std::string where(const NoticeFilter& f, std::vector<Value>& params) {
    std::ostringstream w;
    w << "WHERE 1 = 1 ";
    if (!f.include_withdrawn) w << "AND n.withdrawn_at IS NULL ";
    if (!f.statuses.empty()) {
        w << "AND n.status IN (";
        for (std::size_t i = 0; i < f.statuses.size(); ++i) {
            w << (i ? ", ?" : "?");
            params.emplace_back(f.statuses[i]);
        }
        w << ") ";
    }
    if (f.org_id) {
        w << "AND n.org_id = ? ";
        params.emplace_back(*f.org_id);
    }
    if (!f.org_ids.empty()) {
        w << "AND n.org_id IN (";
        for (std::size_t i = 0; i < f.org_ids.size(); ++i) {
            w << (i ? ", ?" : "?");
            params.emplace_back(f.org_ids[i]);
        }
        w << ") ";
    }
    std::istringstream words(f.text);
    int k = 0;
    for (std::string word; words >> word && k < 6; ++k) {
        w << "AND n.search_text LIKE ? ";
        params.emplace_back("%" + word + "%");
    }
    if (!f.departement.empty()) {
        w << "AND EXISTS (SELECT 1 FROM lots l JOIN lot_departements d ON d.lot_id = l.id WHERE l.notice_id = n.id "
             "AND d.departement = ?) ";
        params.emplace_back(f.departement);
    }
    if (!f.cpv_division.empty()) {
        w << "AND EXISTS (SELECT 1 FROM lots l WHERE l.notice_id = n.id AND l.cpv_code LIKE ?) ";
        params.emplace_back(f.cpv_division + "%");
    }
    if (!f.clause_kind.empty()) {
        w << "AND EXISTS (SELECT 1 FROM lots l WHERE l.notice_id = n.id AND l.clause_kind = ?) ";
        params.emplace_back(f.clause_kind);
    }
    if (f.deadline_after) {
        w << "AND n.bid_deadline > ? ";
        params.emplace_back(*f.deadline_after);
    }
    return w.str();
}

}  // namespace

Result<std::int64_t> insert_notice(Connection& c, const NoticeRecord& n) {
    auto rows =
        c.query(kInsertNotice, {n.org_id, nullable_id(n.roadmap_item_id), n.status, n.reference, n.title, n.search_text,
                                n.description, n.procedure, n.bid_deadline, n.question_deadline,
                                nullable_id(n.created_by), n.created_at, n.updated_at, nullable_id(n.published_at)});
    if (!rows) return rows.error();
    std::int64_t id = rows.value()[0].int64(0);
    if (auto s = write_lots(c, n, id); !s) return s.error();
    return id;
}

Status update_notice(Connection& c, const NoticeRecord& n) {
    auto changed = c.exec(kUpdateNotice, {n.reference, n.title, n.search_text, n.description, n.procedure,
                                          n.bid_deadline, n.question_deadline, n.updated_at, n.id});
    if (!changed) return changed.error();
    if (changed.value() == 0) return Error::NotFound("Consultation introuvable.");
    return write_lots(c, n, n.id);
}

Result<bool> set_status(Connection& c, std::int64_t id, const std::string& from, const std::string& to,
                        std::int64_t now) {
    auto n = c.exec(kSetStatus, {to, now, to, now, id, from});
    if (!n) return n.error();
    return n.value() == 1;
}

Result<std::optional<NoticeRecord>> find_notice(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kNoticeColumns) + "WHERE n.id = ?", {id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<NoticeRecord>{};
    auto n = notice_from(c, rows.value()[0]);
    if (!n) return n.error();
    return std::optional<NoticeRecord>(std::move(n.value()));
}

Result<std::vector<NoticeRecord>> list_notices(Connection& c, const NoticeFilter& f, std::int64_t limit,
                                               std::int64_t offset) {
    std::vector<Value> params;
    std::string sql = std::string(kNoticeColumns) + where(f, params) + "ORDER BY n.bid_deadline, n.id LIMIT ? OFFSET ?";
    params.emplace_back(limit);
    params.emplace_back(offset);
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    std::vector<NoticeRecord> out;
    for (const auto& r : rows.value()) {
        auto n = notice_from(c, r);
        if (!n) return n.error();
        out.push_back(std::move(n.value()));
    }
    return out;
}

Result<std::int64_t> count_notices(Connection& c, const NoticeFilter& f) {
    std::vector<Value> params;
    auto rows = c.query("SELECT COUNT(*) FROM notices n " + where(f, params), params);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status add_history(Connection& c, std::int64_t notice_id, std::int64_t at, std::optional<std::int64_t> user_id,
                   const std::string& kind, const std::string& summary) {
    return to_status(c.exec(kInsertHistory, {notice_id, at, nullable_id(user_id), kind, summary}));
}

Result<std::vector<HistoryRecord>> history(Connection& c, std::int64_t notice_id) {
    auto rows = c.query(kHistory, {notice_id});
    if (!rows) return rows.error();
    std::vector<HistoryRecord> out;
    for (const auto& r : rows.value()) out.push_back({r.int64(0), r.text(1), r.text(2)});
    return out;
}

Status follow(Connection& c, std::int64_t notice_id, std::int64_t user_id, std::int64_t now) {
    return to_status(c.exec(kFollow, {notice_id, user_id, now}));
}

Status unfollow(Connection& c, std::int64_t notice_id, std::int64_t user_id) {
    return to_status(c.exec(kUnfollow, {notice_id, user_id}));
}

Result<bool> is_following(Connection& c, std::int64_t notice_id, std::int64_t user_id) {
    auto rows = c.query(kIsFollowing, {notice_id, user_id});
    if (!rows) return rows.error();
    return !rows->empty();
}

Result<std::vector<std::string>> follower_emails(Connection& c, std::int64_t notice_id) {
    auto rows = c.query(kFollowerEmails, {notice_id});
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (const auto& r : rows.value()) out.push_back(r.text(0));
    return out;
}

Result<std::int64_t> add_question(Connection& c, std::int64_t notice_id, std::int64_t user_id,
                                  std::optional<std::int64_t> org_id, const std::string& question, std::int64_t now) {
    auto rows = c.query(kAddQuestion, {notice_id, user_id, nullable_id(org_id), question, now});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<bool> answer_question(Connection& c, std::int64_t notice_id, std::int64_t question_id, const std::string& answer,
                             std::int64_t user_id, std::int64_t now) {
    auto n = c.exec(kAnswer, {answer, now, user_id, question_id, notice_id});
    if (!n) return n.error();
    return n.value() == 1;
}

Result<std::vector<QuestionRecord>> questions(Connection& c, std::int64_t notice_id) {
    auto rows = c.query(kQuestions, {notice_id});
    if (!rows) return rows.error();
    std::vector<QuestionRecord> out;
    for (const auto& r : rows.value())
        out.push_back(
            {r.int64(0), r.int64(1), r.opt_int64(2), r.text(3), r.text(4), r.int64(5), r.opt_text(6), r.opt_int64(7)});
    return out;
}

}  // namespace passerelle::storage::notices
