// The co-contracting exchange on the site: the offers (/bourse-co-traitance), the notice page's section,
// conversations (/mon-espace/messages), consortium workspaces (/mon-espace/groupements) and moderation
// (/mon-espace/signalements).
#include <algorithm>
#include <sstream>

#include "app/exchange.hpp"
#include "core/exchange.hpp"
#include "core/french.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "http/multipart.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace ex = storage::exchange;

namespace {

std::string offer_path(std::int64_t id) { return "/bourse-co-traitance/" + std::to_string(id); }
std::string conversation_path(std::int64_t id) { return "/mon-espace/messages/" + std::to_string(id); }
std::string consortium_path(std::int64_t id) { return "/mon-espace/groupements/" + std::to_string(id); }

constexpr const char* kCompaniesOnly =
    "Seules les entreprises publient des offres de partenariat et y répondent : déclarez votre entreprise ou "
    "rejoignez-la depuis Mon espace.";

std::vector<app::Upload> uploads(const PostedForm& p) {
    std::vector<app::Upload> out;
    for (const auto& f : p.files) out.push_back({f.filename, f.data});
    return out;
}

// Whether the person chose a file (a browser sends an empty part, without a name, for a file input left empty).
bool has_files(const PostedForm& p) {
    return std::any_of(p.files.begin(), p.files.end(), [](const auto& f) { return !f.filename.empty(); });
}

// The form of one member of a consortium (one per row of the members' table).
std::string member_form_id(std::int64_t org_id) { return "membre-" + std::to_string(org_id); }

// The report form of one content (several on a conversation page: one per message).
std::string report_form_id(const std::string& kind, std::int64_t id) {
    return "report-" + kind + "-" + std::to_string(id);
}

}  // namespace

// Bad input and refused transitions come back to the page with their French message; the rest is an error.
Response Site::flash_or_fail(Ctx& ctx, const core::Error& e, const std::string& back, const std::string& prefix) {
    if (e.code != core::ErrorCode::kInvalidInput && e.code != core::ErrorCode::kConflict) return fail(ctx, e);
    return redirect_flash(ctx, back, prefix + (e.fields.empty() ? e.message : e.fields.begin()->second), "warning");
}

json Site::offer_summary(const ex::OfferRecord& o) {
    std::string excerpt = o.description.size() > 280 ? o.description.substr(0, 280) : o.description;
    if (excerpt.size() < o.description.size()) {
        while (!excerpt.empty() && (static_cast<unsigned char>(excerpt.back()) & 0xC0) == 0x80) excerpt.pop_back();
        if (!excerpt.empty()) excerpt.pop_back();
        excerpt += "…";
    }
    return {{"id", o.id},
            {"url", offer_path(o.id)},
            {"org", o.org_name},
            {"kind", code_label(core::offer_kinds(), o.kind)},
            {"lot", o.lot_number ? "Lot " + std::to_string(*o.lot_number) : "Toute la consultation"},
            {"notice", o.notice_title},
            {"notice_url", "/consultations/" + std::to_string(o.notice_id)},
            {"share", o.share_percent ? std::to_string(*o.share_percent) + " % des prestations" : ""},
            {"excerpt", excerpt},
            {"status", code_label(core::offer_statuses(), o.status)},
            {"open", o.status == "open"},
            {"date", core::format_date_fr(o.created_at)},
            {"departements", o.departements},
            {"cpv", cpv_chips(o.cpv_codes)}};
}

// The notice page's section: offers and the form for companies, the existence only for the others.
void Site::add_exchange_section(Ctx& ctx, json& view, const storage::notices::NoticeRecord& n, bool open) {
    auto count = s_.exchange.open_offer_count(n.id);
    const std::int64_t open_offers = count ? count.value() : 0;
    view["exchange_count"] = core::format_integer_fr(open_offers);
    view["exchange_plural"] = open_offers > 1;
    const auto mine = s_.exchange.companies_of(ctx.actor);
    if (!s_.exchange.may_see_offers(ctx.actor)) return;
    ex::OfferFilter f;
    f.notice_id = n.id;
    auto list = s_.exchange.offers(ctx.actor, f, core::Page{1, 50});
    json offers = json::array();
    if (list)
        for (const auto& o : list->items) {
            json item = offer_summary(o);
            item["mine"] = std::find(mine.begin(), mine.end(), o.org_id) != mine.end();
            offers.push_back(item);
        }
    view["exchange_member"] = true;
    view["exchange_offers"] = offers;
    view["exchange_empty"] = offers.empty();
    if (!open || mine.empty()) return;
    json companies = json::array();
    if (auto ms = s_.orgs.memberships_of(ctx.user->id))
        for (const auto& m : ms.value())
            if (m.org_kind == "company" && m.status == "active")
                companies.push_back({{"id", m.org_id}, {"name", m.org_name}});
    // As the person left it when it was refused (values kept, errors beside their fields).
    json form = form_view(ctx, "offer");
    const json typed = form.value("values", json::object());
    auto typed_value = [&](const char* field) { return typed.value(field, std::string()); };
    mark_selected(companies, typed, "org");
    json lots = json::array();
    for (const auto& l : n.lots)
        lots.push_back(
            {{"n", l.number}, {"title", l.title}, {"selected", std::to_string(l.number) == typed_value("lot")}});
    const std::string kind = typed_value("kind");
    view["exchange_form"] = {
        {"action", "/consultations/" + std::to_string(n.id) + "/bourse"},
        {"companies", companies},
        {"single_company", companies.size() == 1},
        {"kinds",
         code_options(core::offer_kinds(), kind.empty() ? std::vector<std::string>{} : std::vector<std::string>{kind})},
        {"lots", lots},
        {"several_lots", n.lots.size() > 1},
        {"offer", form}};
}

Response Site::offer_publish(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    const std::string back = "/consultations/" + std::to_string(*id) + "#co-traitance";
    if (s_.exchange.companies_of(ctx.actor).empty()) return error_page(ctx, 403, kCompaniesOnly);
    auto org = parse_id(ctx.req.form_value("org"));
    if (!org)
        return refuse_form(ctx, back, "offer",
                           core::Error::Invalid("Offre non publiée.",
                                                {{"org", "Choisissez l'entreprise au nom de laquelle vous publiez."}}),
                           {"org"});
    core::OfferInput in;
    in.kind = ctx.req.form_value("kind");
    in.lot = ctx.req.form_value("lot");
    // Codes typed in one box, separated by spaces or commas.
    auto words = [&](const std::string& field) {
        std::vector<std::string> out;
        for (auto v : ctx.req.form_values(field)) {
            std::replace(v.begin(), v.end(), ',', ' ');
            std::istringstream in(v);
            for (std::string w; in >> w;) out.push_back(w);
        }
        return out;
    };
    in.cpv_codes = words("cpv_codes");
    in.departements = words("departements");
    in.share = ctx.req.form_value("share");
    in.description = ctx.req.form_value("description");
    auto offer = s_.exchange.publish_offer(ctx.actor, *org, *id, in);
    if (!offer && offer.error().code == core::ErrorCode::kInvalidInput)
        return refuse_form(ctx, back, "offer", offer.error(),
                           {"org", "kind", "lot", "share", "cpv_codes", "departements", "description"});
    if (!offer) return flash_or_fail(ctx, offer.error(), back, "Offre non publiée : ");
    return redirect_flash(ctx, offer_path(offer.value()),
                          "Votre offre est publiée. Les entreprises qui répondent ouvrent avec vous une conversation "
                          "privée.");
}

Response Site::offer_list(Ctx& ctx) {
    if (!s_.exchange.may_see_offers(ctx.actor))
        return error_page(ctx, 403,
                          "La bourse à la co-traitance est réservée aux entreprises : déclarez votre entreprise ou "
                          "rejoignez-la depuis Mon espace.");
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 20)) return error_page(ctx, 400, why);
    ex::OfferFilter f;
    f.text_like = ctx.req.query_param("q");
    if (core::utf8_length(f.text_like) > 200)
        return error_page(ctx, 400, "La recherche compte au plus 200 caractères.");
    f.kind = ctx.req.query_param("type");
    if (!core::label_of(core::offer_kinds(), f.kind)) f.kind.clear();
    f.departement = ctx.req.query_param("departement");
    if (!core::is_departement_code(f.departement)) f.departement.clear();
    f.status = ctx.req.query_param("toutes") == "1" ? "" : "open";
    auto list = s_.exchange.offers(ctx.actor, f, p);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& o : list->items) items.push_back(offer_summary(o));
    json deps = json::array();
    if (auto all = s_.reference.departements())
        for (const auto& d : all.value())
            deps.push_back(
                {{"code", d.code}, {"label", d.code + " — " + d.name}, {"selected", d.code == f.departement}});
    json view = {{"title", "Bourse à la co-traitance"},
                 {"breadcrumb", crumbs({{"Bourse à la co-traitance", ""}})},
                 {"q", ctx.req.query_param("q")},
                 {"kinds", code_options(core::offer_kinds(), {f.kind})},
                 {"departements", deps},
                 {"all", f.status.empty()},
                 {"items", items},
                 {"empty", items.empty()},
                 {"total", core::format_integer_fr(list->total)},
                 {"total_plural", list->total > 1}};
    add_pagination(view,
                   "/bourse-co-traitance?q=" + http::url_encode(ctx.req.query_param("q")) +
                       "&type=" + http::url_encode(f.kind) + "&departement=" + http::url_encode(f.departement) +
                       (f.status.empty() ? "&toutes=1" : ""),
                   p.page, p.per_page, list->total);
    return page(ctx, "exchange_list", view);
}

Response Site::offer_item(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette offre n'existe pas.");
    auto o = s_.exchange.offer(ctx.actor, *id);
    if (!o) return fail(ctx, o.error());
    json view = offer_summary(o.value());
    view["title"] = code_label(core::offer_kinds(), o->kind) + " — " + o->org_name;
    view["breadcrumb"] = crumbs({{"Bourse à la co-traitance", "/bourse-co-traitance"}, {o->org_name, ""}});
    view["description"] = o->description;
    view["org_url"] = "";
    if (auto org = s_.orgs.get(o->org_id)) view["org_url"] = "/entreprises/" + org->siret;
    view["hidden"] = o->hidden;
    view["has_cpv"] = !o->cpv_codes.empty();
    view["has_departements"] = !o->departements.empty();
    const auto mine = s_.exchange.companies_of(ctx.actor);
    const bool author = ctx.actor.membership(o->org_id) != nullptr;
    view["author"] = author;
    if (author) {
        if (auto answers = s_.exchange.answers(ctx.actor, *id)) {
            json list = json::array();
            for (const auto& a : answers.value())
                list.push_back({{"org", a.org_name},
                                {"url", conversation_path(a.id)},
                                {"date", core::format_date_fr(a.last_message_at)},
                                {"unread", a.unread}});
            view["answers"] = list;
            view["has_answers"] = !list.empty();
        }
        if (auto partners = s_.exchange.partners(ctx.actor, *id)) {
            json list = json::array();
            for (const auto& p : partners.value()) {
                auto org = s_.orgs.get(p.org_id);
                list.push_back(
                    {{"name", p.name}, {"url", org ? "/entreprises/" + org->siret : ""}, {"reasons", p.reasons}});
            }
            view["partners"] = list;
            view["has_partners"] = !list.empty();
        }
    } else if (o->status == "open") {
        json companies = json::array();
        if (auto ms = s_.orgs.memberships_of(ctx.user->id))
            for (const auto& m : ms.value())
                if (m.org_kind == "company" && m.status == "active")
                    companies.push_back({{"id", m.org_id}, {"name", m.org_name}});
        // A reply refused comes back as typed (the files excepted: the page asks to choose them again).
        json reply = form_view(ctx, "reply");
        if (reply.value("has_errors", false)) mark_selected(companies, reply["values"], "org");
        view["can_answer"] = !companies.empty();
        view["companies"] = companies;
        view["single_company"] = companies.size() == 1;
        view["reply"] = reply;
        // An earlier conversation with this offer: continue it there.
        if (auto talks = s_.exchange.my_conversations(ctx.actor))
            for (const auto& t : talks.value())
                if (t.offer_id == *id) view["existing_url"] = conversation_path(t.id);
    }
    view["can_report"] = !author;
    if (!author) {
        view["report"] = form_view(ctx, report_form_id("offer", *id));
        view["report_action"] = "/signaler/offre/" + std::to_string(*id);
        view["report_title"] = "Signaler cette offre";
        view["report_button"] = "Signaler";
        view["report_back"] = offer_path(*id);
    }
    return page(ctx, "exchange_offer", view);
}

Response Site::offer_answer(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette offre n'existe pas.");
    auto p = posted_form(ctx.req);
    if (!p) return error_page(ctx, 400, "Le formulaire n'a pas été reçu correctement. Réessayez.");
    if (s_.exchange.companies_of(ctx.actor).empty()) return error_page(ctx, 403, kCompaniesOnly);
    const std::vector<std::string> order = {"org", "body", "attachments"};
    auto org = parse_id(p->fields["org"]);
    if (!org)
        return refuse_form(ctx, offer_path(*id) + "#repondre", "reply",
                           core::Error::Invalid("Réponse non envoyée.", {{"org", "Choisissez votre entreprise."}}),
                           order);
    auto talk = s_.exchange.answer(ctx.actor, *id, *org, p->fields["body"], uploads(*p));
    if (!talk && talk.error().code == core::ErrorCode::kInvalidInput) {
        core::Error e = talk.error();
        e.message = "Réponse non envoyée.";
        if (has_files(*p) && !e.fields.count("attachments"))  // the files did not come back with the form
            e.fields["attachments"] = "Choisissez de nouveau vos pièces jointes.";
        return refuse_form(ctx, offer_path(*id) + "#repondre", "reply", e, order);
    }
    if (!talk) return flash_or_fail(ctx, talk.error(), offer_path(*id), "Réponse non envoyée : ");
    return redirect_flash(ctx, conversation_path(talk.value()),
                          "Votre réponse est envoyée ; l'entreprise est prévenue par courriel.");
}

Response Site::offer_close(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette offre n'existe pas.");
    const std::string action = ctx.req.path_param("action");
    const std::string to = action == "trouve" ? "found" : action == "abandonner" ? "abandoned" : "";
    if (to.empty()) return error_page(ctx, 404, "Action inconnue.");
    auto st = s_.exchange.close_offer(ctx.actor, *id, to);
    if (!st) return flash_or_fail(ctx, st.error(), offer_path(*id), "");
    return redirect_flash(ctx, offer_path(*id),
                          to == "found" ? "Offre close : partenaire trouvé." : "Offre close : abandonnée.");
}

Response Site::content_report(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    const std::string kind = ctx.req.path_param("kind") == "message" ? "message" : "offer";
    if (!id) return error_page(ctx, 404, "Ce contenu n'existe pas.");
    const std::string back =
        return_path(ctx.req.form_value("back"), {"/bourse-co-traitance/", "/mon-espace/messages/"}, "/mon-espace");
    auto r = s_.exchange.report(ctx.actor, kind, *id, ctx.req.form_value("reason"));
    if (!r) {
        const std::string form_id = report_form_id(kind, *id);
        core::Error e = r.error();
        e.message = "Signalement non envoyé.";
        if (e.code == core::ErrorCode::kConflict) e.message += " " + r.error().message;
        return refuse_form(ctx, back + "#" + form_id, form_id, e, {"reason"});
    }
    return redirect_flash(ctx, back, "Merci : votre signalement est transmis aux organisateurs de la plateforme.");
}

Response Site::messages_page(Ctx& ctx) {
    auto list = s_.exchange.my_conversations(ctx.actor);
    if (!list) return fail(ctx, list.error());
    const auto mine = s_.exchange.companies_of(ctx.actor);
    json items = json::array();
    for (const auto& v : list.value()) {
        const bool author = std::find(mine.begin(), mine.end(), v.offer_org_id) != mine.end();
        items.push_back({{"url", conversation_path(v.id)},
                         {"with", author ? v.org_name : v.offer_org_name},
                         {"notice", v.notice_title},
                         {"kind", code_label(core::offer_kinds(), v.offer_kind)},
                         {"date", core::format_datetime_fr(v.last_message_at)},
                         {"unread", v.unread},
                         {"closed", v.offer_status != "open"}});
    }
    return page(ctx, "messages",
                {{"title", "Mes messages"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Mes messages", ""}})},
                 {"items", items},
                 {"empty", items.empty()}});
}

Response Site::conversation_page(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette conversation n'existe pas.");
    auto v = s_.exchange.conversation(ctx.actor, *id);
    if (!v) return fail(ctx, v.error());
    const auto& c = v->conversation;
    const bool author_side = v->viewer_org_id == c.offer_org_id;
    json messages = json::array();
    std::int64_t last_mine = 0;
    for (const auto& m : v->messages)
        if (m.org_id == v->viewer_org_id) last_mine = m.id;
    for (const auto& m : v->messages) {
        json files = json::array();
        for (const auto& a : m.attachments)
            files.push_back({{"name", a.filename},
                             {"url", "/mon-espace/messages/pieces-jointes/" + std::to_string(a.id)},
                             {"size", core::format_integer_fr((a.size + 1023) / 1024) + "\u202fKio"}});
        const bool mine = m.org_id == v->viewer_org_id;
        messages.push_back({{"id", m.id},
                            {"mine", mine},
                            {"org", m.org_name},
                            {"author", m.author_name},
                            {"body", m.hidden ? "" : m.body},
                            {"hidden", m.hidden},
                            {"date", core::format_datetime_fr(m.created_at)},
                            {"files", m.hidden ? json::array() : files},
                            {"read", mine && m.id == last_mine && v->other_read_up_to >= m.id},
                            {"report_action", "/signaler/message/" + std::to_string(m.id)},
                            {"report_title", "Signaler"},
                            {"report_button", "Signaler ce message"},
                            {"report_back", conversation_path(c.id)},
                            {"report", form_view(ctx, report_form_id("message", m.id))}});
    }
    json view = {{"title", "Conversation avec " + (author_side ? c.org_name : c.offer_org_name)},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes messages", "/mon-espace/messages"},
                                        {author_side ? c.org_name : c.offer_org_name, ""}})},
                 {"offer_url", offer_path(c.offer_id)},
                 {"offer_kind", code_label(core::offer_kinds(), c.offer_kind)},
                 {"offer_org", c.offer_org_name},
                 {"notice", c.notice_title},
                 {"notice_url", "/consultations/" + std::to_string(c.notice_id)},
                 {"messages", messages},
                 {"action", conversation_path(c.id)},
                 {"back", conversation_path(c.id)},
                 {"can_write", v->can_write},
                 {"message_form", form_view(ctx, "message")},
                 {"max_files", static_cast<int>(core::kMaxAttachments)},
                 {"consortium_url", v->consortium_id ? consortium_path(*v->consortium_id) : ""},
                 {"can_form", !v->consortium_id},
                 {"form_action", conversation_path(c.id) + "/groupement"}};
    return page(ctx, "conversation", view);
}

Response Site::conversation_post(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette conversation n'existe pas.");
    auto p = posted_form(ctx.req);
    if (!p) return error_page(ctx, 400, "Le formulaire n'a pas été reçu correctement. Réessayez.");
    auto m = s_.exchange.post_message(ctx.actor, *id, p->fields["body"], uploads(*p));
    if (!m) {
        core::Error e = m.error();
        if (e.code == core::ErrorCode::kInvalidInput) {
            e.message = "Message non envoyé.";
            if (has_files(*p) && !e.fields.count("attachments"))  // the files did not come back with the form
                e.fields["attachments"] = "Choisissez de nouveau vos pièces jointes.";
        }
        return refuse_form(ctx, conversation_path(*id) + "#ecrire", "message", e, {"body", "attachments"});
    }
    return Response::redirect(conversation_path(*id) + "#message-" + std::to_string(m.value()));
}

Response Site::attachment_download(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette pièce jointe n'existe pas.");
    auto f = s_.exchange.attachment(ctx.actor, *id);
    if (!f) return fail(ctx, f.error());
    return download_response(std::move(f->bytes), f->content_type, f->filename);
}

Response Site::consortium_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette conversation n'existe pas.");
    auto k = s_.exchange.form_consortium(ctx.actor, *id, ctx.req.form_value("name"));
    if (!k) return flash_or_fail(ctx, k.error(), conversation_path(*id), "");
    return redirect_flash(ctx, consortium_path(k.value()),
                          "Le groupement est proposé ; l'autre entreprise le rejoint en l'acceptant.");
}

Response Site::consortia_page(Ctx& ctx) {
    auto list = s_.exchange.my_consortia(ctx.actor);
    if (!list) return fail(ctx, list.error());
    const auto mine = s_.exchange.companies_of(ctx.actor);
    json items = json::array();
    for (const auto& k : list.value()) {
        std::string members, status = "active";
        for (const auto& m : k.members) {
            members +=
                (members.empty() ? "" : ", ") + m.org_name + " (" + code_label(core::consortium_roles(), m.role) + ")";
            if (std::find(mine.begin(), mine.end(), m.org_id) != mine.end() && m.status == "invited")
                status = "invited";
        }
        items.push_back({{"url", consortium_path(k.id)},
                         {"name", k.name},
                         {"notice", k.notice_title},
                         {"members", members},
                         {"invited", status == "invited"}});
    }
    return page(ctx, "consortia",
                {{"title", "Mes groupements"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Mes groupements", ""}})},
                 {"items", items},
                 {"empty", items.empty()}});
}

Response Site::consortium_page(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce groupement n'existe pas.");
    auto v = s_.exchange.consortium(ctx.actor, *id);
    if (!v) return fail(ctx, v.error());
    const auto& k = v->consortium;
    const std::string base = consortium_path(k.id);
    json members = json::array();
    for (const auto& m : k.members) {
        // Each row's form comes back as typed when refused (see consortium_member).
        json form = form_view(ctx, member_form_id(m.org_id), {{"role", m.role}, {"lots", m.lots}});
        members.push_back({{"name", m.org_name},
                           {"url", "/entreprises/" + m.org_siret},
                           {"role", code_label(core::consortium_roles(), m.role)},
                           {"roles", code_options(core::consortium_roles(), {form["values"].value("role", "")})},
                           {"lots", m.lots},
                           {"invited", m.status == "invited"},
                           {"action", base + "/membres/" + std::to_string(m.org_id)},
                           {"form", form}});
    }
    json docs = json::array();
    for (const auto& d : v->documents)
        docs.push_back({{"name", d.filename},
                        {"url", "/mon-espace/groupements/documents/" + std::to_string(d.id)},
                        {"org", d.org_name},
                        {"date", core::format_date_fr(d.uploaded_at)},
                        {"size", core::format_integer_fr((d.size + 1023) / 1024) + "\u202fKio"}});
    json items = json::array();
    int done = 0;
    for (const auto& i : v->checklist) {
        done += i.done ? 1 : 0;
        items.push_back({{"id", i.id},
                         {"label", i.label},
                         {"done", i.done},
                         {"who", i.done_by_name},
                         {"when", i.done_at ? core::format_date_fr(*i.done_at) : ""},
                         {"action", base + "/liste/" + std::to_string(i.id)}});
    }
    json view = {
        {"title", k.name},
        {"breadcrumb",
         crumbs({{"Mon espace", "/mon-espace"}, {"Mes groupements", "/mon-espace/groupements"}, {k.name, ""}})},
        {"notice", k.notice_title},
        {"notice_url", "/consultations/" + std::to_string(k.notice_id)},
        {"offer_url", k.offer_id ? offer_path(*k.offer_id) : ""},
        {"members", members},
        {"active", v->viewer_active},
        {"lead", v->viewer_lead},
        {"accept_action", base + "/accepter"},
        {"documents", docs},
        {"has_documents", !docs.empty()},
        {"upload_action", base + "/documents"},
        {"upload_form", form_view(ctx, "upload")},
        {"checklist_form", form_view(ctx, "checklist")},
        {"checklist", items},
        {"progress", std::to_string(done) + " sur " + std::to_string(items.size())},
        {"add_action", base + "/liste"}};
    return page(ctx, "consortium", view);
}

Response Site::consortium_action(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce groupement n'existe pas.");
    const std::string action = ctx.req.path_param("action");
    const std::string base = consortium_path(*id);
    auto p = posted_form(ctx.req);
    if (!p) return error_page(ctx, 400, "Le formulaire n'a pas été reçu correctement. Réessayez.");
    if (action == "accepter") {
        if (auto st = s_.exchange.accept_consortium(ctx.actor, *id); !st)
            return flash_or_fail(ctx, st.error(), base, "");
        return redirect_flash(ctx, base, "Votre entreprise a rejoint le groupement.");
    }
    if (action == "documents") {
        // No file chosen: the service says so beside the field (a browser sends an empty part without a name).
        const app::Upload file = p->files.empty() ? app::Upload{} : app::Upload{p->files[0].filename, p->files[0].data};
        if (auto d = s_.exchange.add_document(ctx.actor, *id, file); !d) {
            core::Error e = d.error();
            e.message = "Document non déposé.";
            return refuse_form(ctx, base + "#documents", "upload", e, {"document"});
        }
        return redirect_flash(ctx, base, "Le document est partagé avec le groupement.");
    }
    if (action == "liste") {
        if (auto st = s_.exchange.add_checklist_item(ctx.actor, *id, p->fields["label"]); !st) {
            core::Error e = st.error();
            e.message = "Rien n'est ajouté à la liste.";
            return refuse_form(ctx, base + "#liste", "checklist", e, {"label"});
        }
        return redirect_flash(ctx, base, "Ajouté à la liste.");
    }
    return error_page(ctx, 404, "Action inconnue.");
}

Response Site::consortium_member(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto org = parse_id(ctx.req.path_param("org"));
    if (!id || !org) return error_page(ctx, 404, "Ce groupement n'existe pas.");
    auto st = s_.exchange.set_member(ctx.actor, *id, *org, ctx.req.form_value("role"), ctx.req.form_value("lots"));
    if (!st)
        return refuse_form(ctx, consortium_path(*id) + "#membres", member_form_id(*org), st.error(), {"role", "lots"});
    return redirect_flash(ctx, consortium_path(*id), "La répartition du groupement est enregistrée.");
}

Response Site::consortium_check(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto item = parse_id(ctx.req.path_param("item"));
    if (!id || !item) return error_page(ctx, 404, "Ce groupement n'existe pas.");
    auto st = s_.exchange.check_item(ctx.actor, *id, *item, ctx.req.form_value("done") == "1");
    if (!st) return fail(ctx, st.error());
    return Response::redirect(consortium_path(*id) + "#liste");
}

Response Site::consortium_document(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce document n'existe pas.");
    auto f = s_.exchange.document(ctx.actor, *id);
    if (!f) return fail(ctx, f.error());
    return download_response(std::move(f->bytes), f->content_type, f->filename);
}

Response Site::moderation_page(Ctx& ctx) {
    auto list = s_.exchange.open_reports(ctx.actor);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& r : list.value())
        items.push_back({{"id", r.report.id},
                         {"what", r.report.target_kind == "message" ? "Message" : "Offre de partenariat"},
                         {"excerpt", r.excerpt},
                         {"author", r.author_name},
                         {"author_email", r.author_email},
                         {"can_suspend", r.author_user_id.has_value()},
                         {"reason", r.report.reason},
                         {"reporter", r.report.reporter_email},
                         {"date", core::format_datetime_fr(r.report.created_at)},
                         {"hidden", r.hidden},
                         {"action", "/mon-espace/signalements/" + std::to_string(r.report.id)}});
    return page(ctx, "moderation",
                {{"title", "Signalements"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Signalements", ""}})},
                 {"items", items},
                 {"empty", items.empty()}});
}

Response Site::moderation_decide(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce signalement n'existe pas.");
    const std::string a = ctx.req.path_param("action");
    const std::string action = a == "masquer" ? "hide" : a == "suspendre" ? "suspend" : a == "classer" ? "dismiss" : "";
    if (action.empty()) return error_page(ctx, 404, "Action inconnue.");
    auto st = s_.exchange.decide_report(ctx.actor, *id, action);
    if (!st) {
        if (st.error().code == core::ErrorCode::kConflict || st.error().code == core::ErrorCode::kNotFound)
            return redirect_flash(ctx, "/mon-espace/signalements", st.error().message, "warning");
        return fail(ctx, st.error());
    }
    audit(ctx, "moderation", "signalement " + std::to_string(*id), action);
    return redirect_flash(ctx, "/mon-espace/signalements",
                          action == "hide"      ? "Le contenu est masqué."
                          : action == "suspend" ? "Le contenu est masqué et le compte de son auteur suspendu."
                                                : "Le signalement est classé sans suite.");
}

}  // namespace passerelle::web
