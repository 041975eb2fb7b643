// Organisation pages: the public directories of companies and buyers, an organisation's public page,
// the personal dashboard, creating and managing an organisation (profile, members, invitations), and the
// CPV autocomplete fragments.
#include <charconv>

#include "core/cpv.hpp"
#include "core/fold.hpp"
#include "core/french.hpp"
#include "core/organisation.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

namespace {}  // namespace

json Site::org_summary(const storage::orgs::OrgRecord& o) {
    json labels = json::array();
    for (const auto& l : o.labels) labels.push_back(code_label(core::company_labels(), l));
    bool company = o.kind == "company";
    return {{"id", o.id},
            {"name", o.name},
            {"siret", o.siret},
            {"url", std::string(company ? "/entreprises/" : "/acheteurs/") + o.siret},
            {"kind_label", company ? "Entreprise" : "Acheteur public"},
            {"size", o.size.empty() ? "" : code_label(core::company_sizes(), o.size)},
            {"buyer_kind", o.buyer_kind.empty() ? "" : code_label(core::buyer_kinds(), o.buyer_kind)},
            {"labels", labels},
            {"has_labels", !labels.empty()},
            {"departements", json(o.departements)},
            {"departement", o.departement},
            {"description", o.description},
            {"website", o.website}};
}

Response Site::home(Ctx& ctx) {
    core::Page first{1, 6};
    // The organisations on Passerelle (not the profiles that imports created from open data).
    storage::orgs::OrgFilter companies{"company", "", "", "", true}, buyers{"buyer", "", "", "", true};
    auto c = s_.orgs.list(companies, first);
    auto b = s_.orgs.list(buyers, first);
    if (!c) return fail(ctx, c.error());
    if (!b) return fail(ctx, b.error());
    json latest = json::array();
    for (const auto& o : b->items) latest.push_back(org_summary(o));
    auto planned = s_.roadmaps.list_public({}, first);
    if (!planned) return fail(ctx, planned.error());
    json roadmap = json::array();
    for (const auto& r : planned->items) roadmap.push_back(roadmap_summary(r));
    auto next = s_.events.upcoming(3);
    if (!next) return fail(ctx, next.error());
    json events = json::array();
    for (const auto& e : next.value()) events.push_back(event_summary(e));
    auto articles = s_.news.list("", {1, 3});
    if (!articles) return fail(ctx, articles.error());
    json news = json::array();
    for (const auto& a : articles->items) news.push_back(article_summary(a));
    return page(ctx, "home",
                {{"title", "Passerelle — acheteurs publics et entreprises"},
                 {"companies_count", core::format_integer_fr(c->total)},
                 {"buyers_count", core::format_integer_fr(b->total)},
                 {"buyers", latest},
                 {"roadmap", roadmap},
                 {"roadmap_count", core::format_integer_fr(planned->total)},
                 {"has_roadmap", !roadmap.empty()},
                 {"events", events},
                 {"has_events", !events.empty()},
                 {"news", news},
                 {"has_news", !news.empty()}});
}

Response Site::legal(Ctx& ctx, const std::string& which) {
    std::string title = which == "accessibilite"      ? "Accessibilité"
                        : which == "mentions-legales" ? "Mentions légales"
                                                      : "Données personnelles";
    json view = {{"title", title},
                 {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                             {{"label", title}, {"url", "/" + which}, {"current", true}}})}};
    view["is_" + std::string(which == "accessibilite"      ? "a11y"
                             : which == "mentions-legales" ? "legal"
                                                           : "privacy")] = true;
    return page(ctx, "legal", view);
}

// The supplier directory: the search index (French full text over names, descriptions, skills with their
// CPV labels and the objects of contracts won), with facets and counts.
Response Site::company_directory(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 20)) return error_page(ctx, 400, why);
    search::Query q;
    q.kind = "company";
    q.text = ctx.req.query_param("q");
    if (core::utf8_length(q.text) > 300) return error_page(ctx, 400, "La recherche compte au plus 300 caractères.");
    const std::string dep = ctx.req.query_param("departement");
    if (core::is_departement_code(dep)) q.departements = {dep};
    q.cpv_division = ctx.req.query_param("division");
    if (q.cpv_division.size() != 2 || !std::isdigit(static_cast<unsigned char>(q.cpv_division[0])) ||
        !std::isdigit(static_cast<unsigned char>(q.cpv_division[1])))
        q.cpv_division.clear();
    q.label = ctx.req.query_param("label");
    if (!core::label_of(core::company_labels(), q.label)) q.label.clear();
    q.size = ctx.req.query_param("taille");
    if (!core::label_of(core::company_sizes(), q.size)) q.size.clear();
    const std::string profile = ctx.req.query_param("profil");
    q.status = profile == "gere" ? "claimed" : profile == "donnees-publiques" ? "open_data" : "";
    q.sort = core::trim(q.text).empty() ? "name" : "relevance";
    q.snippets = q.sort == "relevance";
    q.offset = static_cast<int>(p.offset());
    q.limit = p.per_page;
    auto results = s_.index.search(q);
    if (!results) return fail(ctx, results.error());

    json items = json::array();
    for (const auto& h : results->hits) {
        auto o = s_.orgs.get(h.id);
        if (!o) continue;
        json item = org_summary(o.value());
        item["snippet"] = h.snippet_html;  // escaped by Xapian; only <mark> is added
        item["open_data"] = !o->claimed;
        items.push_back(item);
    }
    auto& facets = results->facets;
    // An option of a facet's select: the form's value, its label with the count of the matching companies.
    auto counted = [&](const std::string& facet, const std::string& term, const std::string& value,
                       const std::string& label, const std::string& selected) -> json {
        const auto n = facets[facet][term];
        return {{"code", value},
                {"label", label + " (" + core::format_integer_fr(n) + ")"},
                {"selected", value == selected},
                {"empty", n == 0 && value != selected}};
    };
    json labels = json::array(), sizes = json::array(), deps = json::array(), divisions = json::array();
    labels.push_back(counted("label", "siae", "siae", "SIAE, tous types", q.label));
    for (const auto& l : core::company_labels()) labels.push_back(counted("label", l.code, l.code, l.label, q.label));
    for (const auto& z : core::company_sizes()) sizes.push_back(counted("size", z.code, z.code, z.label, q.size));
    if (auto all = s_.reference.departements())
        for (const auto& d : all.value())
            if (facets["departement"].count(d.code) || d.code == dep)
                deps.push_back(counted("departement", d.code, d.code, d.code + " — " + d.name, dep));
    if (auto all = s_.reference.cpv_divisions())
        for (const auto& d : all.value())
            if (facets["division"].count(d.division) || d.division == q.cpv_division)
                divisions.push_back(
                    counted("division", d.division, d.division, d.division + " — " + d.label_fr, q.cpv_division));
    json profiles =
        json::array({counted("status", "claimed", "gere", "Gérés par l'entreprise", profile),
                     counted("status", "open_data", "donnees-publiques", "Issus des données publiques", profile)});

    std::string qs = "?q=" + http::url_encode(q.text) + "&departement=" + http::url_encode(dep) +
                     "&division=" + http::url_encode(q.cpv_division) + "&label=" + http::url_encode(q.label) +
                     "&taille=" + http::url_encode(q.size) + "&profil=" + http::url_encode(profile);
    json view = {{"title", "Annuaire des entreprises"},
                 {"breadcrumb",
                  json::array({{{"label", "Accueil"}, {"url", "/"}},
                               {{"label", "Annuaire des entreprises"}, {"url", "/entreprises"}, {"current", true}}})},
                 {"base", "/entreprises"},
                 {"company", true},
                 {"q", q.text},
                 {"items", items},
                 {"total", core::format_integer_fr(results->total)},
                 {"total_plural", results->total > 1},
                 {"empty", items.empty()},
                 {"labels", labels},
                 {"sizes", sizes},
                 {"divisions", divisions},
                 {"profiles", profiles},
                 {"departements", deps}};
    add_pagination(view, "/entreprises" + qs, p.page, p.per_page, results->total);
    return page(ctx, "directory", view);
}

Response Site::directory(Ctx& ctx, const std::string& kind) {
    const bool company = kind == "company";
    if (company) return company_directory(ctx);
    const std::string base = company ? "/entreprises" : "/acheteurs";
    const std::string title = company ? "Annuaire des entreprises" : "Acheteurs publics";
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 20)) return error_page(ctx, 400, why);
    storage::orgs::OrgFilter f{kind, core::trim(core::fold(ctx.req.query_param("q"))), ctx.req.query_param("label"),
                               ctx.req.query_param("departement")};
    if (!f.label.empty() && !core::label_of(core::company_labels(), f.label)) f.label.clear();
    if (!f.departement.empty() && !core::is_departement_code(f.departement)) f.departement.clear();
    auto list = s_.orgs.list(f, p);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& o : list->items) items.push_back(org_summary(o));
    auto deps = s_.reference.departements();
    json dep_opts = json::array();
    if (deps)
        for (const auto& d : deps.value())
            dep_opts.push_back(
                {{"code", d.code}, {"label", d.code + " — " + d.name}, {"selected", d.code == f.departement}});
    std::string qs = "?q=" + http::url_encode(ctx.req.query_param("q")) + "&label=" + http::url_encode(f.label) +
                     "&departement=" + http::url_encode(f.departement);
    json view = {{"title", title},
                 {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                             {{"label", title}, {"url", base}, {"current", true}}})},
                 {"base", base},
                 {"company", company},
                 {"q", ctx.req.query_param("q")},
                 {"items", items},
                 {"total", core::format_integer_fr(list->total)},
                 {"total_plural", list->total > 1},
                 {"empty", items.empty()},
                 {"labels", code_options(core::company_labels(), {f.label})},
                 {"departements", dep_opts}};
    add_pagination(view, base + qs, p.page, p.per_page, list->total);
    return page(ctx, "directory", view);
}

Response Site::org_page(Ctx& ctx, const std::string& kind) {
    auto o = s_.orgs.get_by_siret(ctx.req.path_param("siret"));
    // An organisation not vetted (or suspended) is not public: its members and administrators still see it.
    const bool hidden = o && (o->vetting != "verified" || o->suspended_at) && !ctx.actor.membership(o->id) &&
                        !ctx.actor.has_role(core::PlatformRole::kAdministrator);
    if (!o || o->kind != kind || hidden)
        return error_page(ctx, 404,
                          kind == "company" ? "Cette entreprise n'est pas dans l'annuaire."
                                            : "Cet acheteur public n'est pas sur Passerelle.");
    json view = org_summary(o.value());
    const bool company = kind == "company";
    view["title"] = o->name;
    view["company"] = company;
    view["breadcrumb"] = json::array({{{"label", "Accueil"}, {"url", "/"}},
                                      {{"label", company ? "Annuaire des entreprises" : "Acheteurs publics"},
                                       {"url", company ? "/entreprises" : "/acheteurs"}},
                                      {{"label", o->name}, {"url", view["url"]}, {"current", true}}});
    json cpvs = cpv_chips(o->cpv_codes);
    view["cpv"] = cpvs;
    view["has_cpv"] = !cpvs.empty();
    if (!o->legal_form.empty()) view["legal_form"] = code_label(core::legal_forms(), o->legal_form);
    view["since"] = core::format_date_fr(o->created_at);
    // Awarded contracts: the company's references, or what the buyer awarded (DECP and platform awards).
    if (auto refs = s_.contracts.of_organisation(o->id, !company, 10)) {
        json items = json::array();
        for (const auto& c : refs.value()) {
            json s = contract_summary(c);
            json cpv = c.cpv.empty() ? json::array() : cpv_chips({c.cpv});
            items.push_back({{"title", s["title"]},
                             {"url", s["url"]},
                             {"buyer", s["buyer"]},
                             {"cpv_code", cpv.empty() ? "" : cpv[0]["code"]},
                             {"cpv_label", cpv.empty() ? "" : cpv[0]["label"]},
                             {"amount", c.amount ? s["amount"] : json("")},
                             {"year", c.notified_on.size() >= 4 ? c.notified_on.substr(0, 4) : ""},
                             {"detail", company ? s["buyer"].get<std::string>() +
                                                      (c.amount ? " — " + s["amount"].get<std::string>() : "")
                                                : s["detail"].get<std::string>()},
                             {"notified", s["status_label"]}});
        }
        const auto total = s_.contracts.count_of_organisation(o->id, !company);
        view["references"] = items;
        view["has_references"] = !items.empty();
        view["references_title"] = company ? "Références : marchés remportés" : "Marchés attribués";
        view["references_count"] = core::format_integer_fr(total ? total.value() : 0);
        view["references_url"] =
            company ? "/marches-attribues?q=" + o->siret : "/marches-attribues?acheteur=" + std::to_string(o->id);
    }
    view["unclaimed"] = !o->claimed;
    // A refused request comes back as typed (see org_request).
    view["org_id"] = o->id;  // (inside a form's section, {{id}} is the form's)
    view["join"] = form_view(ctx, "join");
    view["claim"] = form_view(ctx, "claim");
    if (ctx.user && !o->claimed) {
        view["can_claim"] = true;  // no one to approve a request to join yet: a claim, checked by the platform
    } else if (ctx.user) {
        const auto* m = ctx.actor.membership(o->id);
        if (m) {
            view["is_member"] = true;
            if (m->role == core::MemberRole::kAdmin) view["can_manage"] = true;
        } else {
            view["can_join"] = true;
        }
    } else {
        view["anonymous"] = true;
    }
    return page(ctx, "organisation", view);
}

Response Site::dashboard(Ctx& ctx) {
    auto ms = s_.orgs.memberships_of(ctx.user->id);
    if (!ms) return fail(ctx, ms.error());
    json mine = json::array(), pending = json::array(), to_review = json::array();
    for (const auto& m : ms.value()) {
        json item = {{"id", m.org_id},
                     {"name", m.org_name},
                     {"kind_label", m.org_kind == "company" ? "Entreprise" : "Acheteur public"},
                     {"role_label",
                      std::string(m.role == "admin" ? "administrateur" : "membre") + (m.elected ? ", élu(e)" : "")},
                     {"manage_url", "/mon-espace/organisations/" + std::to_string(m.org_id)}};
        if (m.status != "active") {
            pending.push_back(item);
            continue;
        }
        mine.push_back(item);
        if (m.role == "admin") {
            auto members = s_.orgs.members(ctx.actor, m.org_id);
            if (!members) continue;
            for (const auto& r : members.value())
                if (r.status == "requested")
                    to_review.push_back(
                        {{"org", m.org_name},
                         {"who", r.display_name},
                         {"email", r.email},
                         {"url", "/mon-espace/organisations/" + std::to_string(m.org_id) + "#membres"}});
        }
    }
    json roles = json::array();
    for (auto r : ctx.actor.roles) roles.push_back(core::platform_role_label(r));
    std::int64_t unread = 0;
    if (auto talks = s_.exchange.my_conversations(ctx.actor))
        for (const auto& t : talks.value()) unread += t.unread;
    auto awaiting = s_.events.awaiting_answer(ctx.actor);
    // Social clauses: declarations to review (facilitators), hours to declare (companies), reports (buyers).
    const bool facilitator = core::allowed(ctx.actor, core::Action::kFollowClauses);
    std::int64_t reviews = 0, to_declare = 0;
    if (facilitator)
        if (auto r = s_.clauses.to_review(ctx.actor, true)) reviews = static_cast<std::int64_t>(r->size());
    if (auto d = s_.clauses.to_declare(ctx.actor)) to_declare = static_cast<std::int64_t>(d->size());
    const bool clauses_link = facilitator || ctx.actor.is_buyer_agent() || to_declare > 0;
    std::string codes_left_text;  // set when two-factor authentication is on and few recovery codes are left
    if (ctx.user->second_factor_since)
        if (auto st = s_.accounts.second_factor_status(ctx.actor); st && st->recovery_codes_left <= 2)
            codes_left_text = recovery_codes_text(st->recovery_codes_left);
    return page(ctx, "dashboard",
                {{"title", "Mon espace"},
                 {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                             {{"label", "Mon espace"}, {"url", "/mon-espace"}, {"current", true}}})},
                 {"orgs", mine},
                 {"has_orgs", !mine.empty()},
                 {"second_factor", ctx.user->second_factor_since.has_value()},
                 {"codes_low", !codes_left_text.empty()},
                 {"codes_left_text", codes_left_text},
                 {"pending", pending},
                 {"has_pending", !pending.empty()},
                 {"to_review", to_review},
                 {"has_to_review", !to_review.empty()},
                 {"roles", roles},
                 {"has_roles", !roles.empty()},
                 {"verified", ctx.user->email_verified_at.has_value()},
                 {"is_buyer", ctx.actor.is_buyer_agent()},
                 {"awaits_vetting", !ctx.actor.is_buyer_agent() && ctx.actor.awaits_vetting()},
                 {"is_company", !s_.exchange.companies_of(ctx.actor).empty()},
                 {"is_moderator", core::allowed(ctx.actor, core::Action::kModerate)},
                 // Counts shown only when there is something (a number is always "set" for the templates).
                 {"unread", unread > 0 ? json(unread) : json(false)},
                 {"pending_meetings", awaiting && awaiting.value() > 0 ? json(awaiting.value()) : json(false)},
                 {"clauses", clauses_link},
                 {"reviews_waiting", reviews > 0 ? json(reviews) : json(false)},
                 {"hours_to_declare", to_declare > 0 ? json(to_declare) : json(false)},
                 {"email", ctx.user->email},
                 {"has_password", ctx.user->password_hash.has_value()},
                 {"name", ctx.user->display_name}});
}

core::OrganisationInput Site::org_input_from_form(const http::Request& req) {
    core::OrganisationInput in;
    in.kind = req.form_value("kind");
    in.name = req.form_value("name");
    in.siret = req.form_value("siret");
    in.legal_form = req.form_value("legal_form");
    in.size = req.form_value("size");
    in.labels = req.form_values("labels");
    in.cpv_codes = cpv_codes_with_typed(req);
    in.departements = req.form_values("departements");
    in.description = req.form_value("description");
    in.website = req.form_value("website");
    in.buyer_kind = req.form_value("buyer_kind");
    in.departement = req.form_value("departement");
    return in;
}

json Site::cpv_chips(const std::vector<std::string>& codes) {
    json cpv = json::array();
    for (const auto& code : codes) {
        std::string c = core::trim(code);
        if (c.empty()) continue;
        std::string label;
        if (auto p = core::parse_cpv(c)) {
            auto sug = s_.reference.suggest_cpv(p->code, 1);
            if (sug && !sug->empty() && sug->front().code == p->code) {
                label = sug->front().label_fr;
                c = core::format_cpv(p->code, sug->front().check_digit);
            }
        }
        cpv.push_back({{"code", c}, {"label", label}});
    }
    return cpv;
}

json Site::departement_options(const std::vector<std::string>& selected, const std::string& single) {
    json deps = json::array();
    auto all = s_.reference.departements();
    if (all)
        for (const auto& d : all.value()) {
            bool sel = std::find(selected.begin(), selected.end(), d.code) != selected.end();
            deps.push_back({{"code", d.code},
                            {"label", d.code + " — " + d.name},
                            {"selected", sel},
                            {"selected_single", d.code == single}});
        }
    return deps;
}

json Site::org_form_view(Ctx& ctx, const core::OrganisationInput& in, const std::string& kind) {
    json cpv = cpv_chips(picked_cpv(ctx.req, in.cpv_codes));
    json deps = departement_options(in.departements, in.departement);
    return {{"kind", kind},
            {"is_company", kind == "company"},
            {"is_buyer", kind == "buyer"},
            {"name", in.name},
            {"siret", in.siret},
            {"description", in.description},
            {"website", in.website},
            {"sizes", code_options(core::company_sizes(), {in.size})},
            {"labels", code_options(core::company_labels(), in.labels)},
            {"legal_forms", code_options(core::legal_forms(), {in.legal_form})},
            {"buyer_kinds", code_options(core::buyer_kinds(), {in.buyer_kind})},
            {"cpv", cpv},
            {"cpv_legend", "Compétences (codes CPV)"},
            {"cpv_query_label", "Ajouter une compétence"},
            {"cpv_query_value", typed_cpv(ctx.req)},
            {"departements", deps}};
}

Response Site::org_new_form(Ctx& ctx) {
    std::string kind = ctx.req.query_param("type") == "acheteur" ? "buyer" : "company";
    core::OrganisationInput in;
    in.kind = kind;
    json view = {
        {"title", kind == "company" ? "Déclarer mon entreprise" : "Déclarer mon organisation publique"},
        {"breadcrumb",
         json::array(
             {{{"label", "Accueil"}, {"url", "/"}},
              {{"label", "Mon espace"}, {"url", "/mon-espace"}},
              {{"label", "Nouvelle organisation"}, {"url", "/mon-espace/organisations/nouvelle"}, {"current", true}}})},
        {"form", org_form_view(ctx, in, kind)},
        {"creating", true},
        {"action", "/mon-espace/organisations/nouvelle"},
        {"verified", ctx.user->email_verified_at.has_value()}};
    return page(ctx, "org_form", view);
}

Response Site::org_create(Ctx& ctx) {
    core::OrganisationInput in = org_input_from_form(ctx.req);
    std::string kind = in.kind == "buyer" ? "buyer" : "company";
    json view = {{"title", kind == "company" ? "Déclarer mon entreprise" : "Déclarer mon organisation publique"},
                 {"form", org_form_view(ctx, in, kind)},
                 {"creating", true},
                 {"action", "/mon-espace/organisations/nouvelle"},
                 {"verified", ctx.user->email_verified_at.has_value()}};
    auto id = s_.orgs.create(ctx.actor, in);
    if (!id) {
        if (id.error().code == core::ErrorCode::kForbidden) {
            core::Error e = id.error();
            e.code = core::ErrorCode::kInvalidInput;
            return form_error(ctx, "org_form", view, e);
        }
        return form_error(ctx, "org_form", view, id.error());
    }
    const bool vetted = kind != "buyer" || ctx.actor.has_role(core::PlatformRole::kAdministrator);
    return redirect_flash(ctx, "/mon-espace/organisations/" + std::to_string(id.value()),
                          "L'organisation « " + core::trim(in.name) + " » est créée ; vous en êtes l'administrateur." +
                              (vetted ? "" : " L'équipe de Passerelle va la vérifier : d'ici là, rien n'est publié."));
}

Response Site::org_manage(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette organisation n'existe pas.");
    auto o = s_.orgs.get(*id);
    if (!o) return fail(ctx, o.error());
    auto members = s_.orgs.members(ctx.actor, *id);
    if (!members) return fail(ctx, members.error());
    const bool admin = core::allowed(ctx.actor, core::Action::kManageMembers, {*id, core::parse_org_kind(o->kind)});
    core::OrganisationInput in;
    in.kind = o->kind;
    in.name = o->name;
    in.siret = o->siret;
    in.legal_form = o->legal_form;
    in.size = o->size;
    in.labels = o->labels;
    in.cpv_codes = o->cpv_codes;
    in.departements = o->departements;
    in.description = o->description;
    in.website = o->website;
    in.buyer_kind = o->buyer_kind;
    in.departement = o->departement;
    json active = json::array(), requests = json::array();
    std::string base = "/mon-espace/organisations/" + std::to_string(*id);
    for (const auto& m : members.value()) {
        json item = {{"name", m.display_name},
                     {"email", m.email},
                     {"is_admin", m.role == "admin"},
                     {"role_label", m.role == "admin" ? "Administrateur" : "Membre"},
                     {"since", core::format_date_fr(m.created_at)},
                     {"message", m.message},
                     {"action_base", base + "/membres/" + std::to_string(m.user_id)},
                     {"is_me", m.user_id == ctx.user->id}};
        (m.status == "active" ? active : requests).push_back(item);
    }
    json invitations = json::array();
    if (admin) {
        auto inv = s_.orgs.invitations(ctx.actor, *id);
        if (inv)
            for (const auto& i : inv.value())
                invitations.push_back({{"email", i.email},
                                       {"role_label", i.role == "admin" ? "Administrateur" : "Membre"},
                                       {"expires", core::format_date_fr(i.expires_at)}});
    }
    json view = {{"title", o->name},
                 {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                             {{"label", "Mon espace"}, {"url", "/mon-espace"}},
                                             {{"label", o->name}, {"url", base}, {"current", true}}})},
                 {"org", org_summary(o.value())},
                 {"form", org_form_view(ctx, in, o->kind)},
                 {"action", base},
                 {"admin", admin},
                 {"locked_siret", true},
                 {"members", active},
                 {"requests", requests},
                 {"has_requests", !requests.empty()},
                 {"invitations", invitations},
                 {"has_invitations", !invitations.empty()},
                 {"invite_action", base + "/invitations"},
                 {"invite_form", form_view(ctx, "invite")}};
    // An invitation refused comes back as typed (see refuse_form), its error beside its field.
    if (view["invite_form"].value("has_errors", false)) {
        view["invite_admin"] = view["invite_form"]["values"].value("role", "") == "admin";
    }
    if (o->suspended_at)
        view["vetting"] = {{"kind", "danger"},
                           {"heading", "Organisation suspendue"},
                           {"text", "L'équipe de Passerelle a suspendu cette organisation le " +
                                        core::format_date_fr(*o->suspended_at) +
                                        " : ses publications sont retirées de la vue du public. Écrivez à l'équipe "
                                        "de la plateforme pour en savoir plus."}};
    else if (o->vetting == "pending")
        view["vetting"] = {{"kind", "warning"},
                           {"heading", "Organisation en cours de vérification"},
                           {"text",
                            "L'équipe de Passerelle vérifie que cette organisation est bien un acheteur "
                            "public et que vous agissez pour elle. D'ici là, vous pouvez préparer des "
                            "brouillons de feuille de route et de consultation ; rien n'est publié, et les "
                            "coordonnées des entreprises (sourcing, entreprises intéressées) ne sont pas "
                            "accessibles. Vous serez prévenu par e-mail. Agent public ? Connectez-vous avec "
                            "ProConnect : votre administration est reconnue tout de suite."}};
    else if (o->vetting == "refused")
        view["vetting"] = {{"kind", "danger"},
                           {"heading", "Vérification refusée"},
                           {"text", "L'équipe de Passerelle n'a pas pu vérifier cette organisation" +
                                        (o->vetting_note.empty() ? std::string(".") : " : " + o->vetting_note) +
                                        " Rien de ce qu'elle prépare n'est publié."}};
    if (ctx.actor.has_role(core::PlatformRole::kAdministrator))
        view["platform_admin"] = o->suspended_at
                                     ? json{{"action", "reactiver"},
                                            {"label", "Lever la suspension"},
                                            {"hint", "Ses publications retirées redeviennent publiques."}}
                                     : json{{"action", "suspendre"},
                                            {"label", "Suspendre cette organisation"},
                                            {"hint", "Ses publications sont retirées de la vue du public."}};
    return page(ctx, "org_manage", view);
}

std::optional<Response> Site::org_id_param(Ctx& ctx, std::optional<std::int64_t>& id) {
    id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette organisation n'existe pas.");
    return std::nullopt;
}

Response Site::org_update(Ctx& ctx) {
    std::optional<std::int64_t> id;
    if (auto refused = org_id_param(ctx, id)) return *refused;
    auto o = s_.orgs.get(*id);
    if (!o) return fail(ctx, o.error());
    core::OrganisationInput in = org_input_from_form(ctx.req);
    in.kind = o->kind;
    in.siret = o->siret;
    auto st = s_.orgs.update(ctx.actor, *id, in);
    if (!st) {
        if (st.error().code != core::ErrorCode::kInvalidInput) return fail(ctx, st.error());
        std::string base = "/mon-espace/organisations/" + std::to_string(*id);
        json view = {{"title", o->name},
                     {"org", org_summary(o.value())},
                     {"form", org_form_view(ctx, in, o->kind)},
                     {"locked_siret", true},
                     {"action", base},
                     {"admin", true},
                     {"members", json::array()},
                     {"invite_action", base + "/invitations"},
                     {"editing_failed", true}};
        return form_error(ctx, "org_manage", view, st.error());
    }
    return redirect_flash(ctx, "/mon-espace/organisations/" + std::to_string(*id), "Le profil est enregistré.");
}

Response Site::member_action(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto user = parse_id(ctx.req.path_param("user"));
    if (!id || !user) return error_page(ctx, 404, "Ce membre n'existe pas.");
    const std::string action = ctx.req.path_param("action");
    core::Status st;
    std::string done;
    if (action == "accepter") {
        st = s_.orgs.decide_membership(ctx.actor, *id, *user, true);
        done = "La demande est acceptée.";
    } else if (action == "refuser") {
        st = s_.orgs.decide_membership(ctx.actor, *id, *user, false);
        done = "La demande est refusée.";
    } else if (action == "role") {
        st = s_.orgs.set_member_role(ctx.actor, *id, *user, ctx.req.form_value("role"));
        done = "Le rôle est modifié.";
    } else if (action == "retirer") {
        st = s_.orgs.remove_member(ctx.actor, *id, *user);
        done = "Le membre est retiré de l'organisation.";
    } else {
        return error_page(ctx, 404, "Action inconnue.");
    }
    std::string back = "/mon-espace/organisations/" + std::to_string(*id) + "#membres";
    if (!st) {
        if (st.error().code == core::ErrorCode::kConflict || st.error().code == core::ErrorCode::kNotFound ||
            st.error().code == core::ErrorCode::kInvalidInput)
            return redirect_flash(ctx, back, st.error().message, "warning");
        return fail(ctx, st.error());
    }
    return redirect_flash(ctx, back, done);
}

Response Site::org_invite(Ctx& ctx) {
    std::optional<std::int64_t> id;
    if (auto refused = org_id_param(ctx, id)) return *refused;
    auto r = s_.orgs.invite(ctx.actor, *id, ctx.req.form_value("email"), ctx.req.form_value("role"));
    std::string back = "/mon-espace/organisations/" + std::to_string(*id) + "#invitations";
    if (!r) {
        if (r.error().code == core::ErrorCode::kInvalidInput) {
            core::Error e = r.error();
            e.message = "Invitation non envoyée.";
            return refuse_form(ctx, back, "invite", e, {"email", "role"});
        }
        return fail(ctx, r.error());
    }
    return redirect_flash(ctx, back, "L'invitation est envoyée à " + core::trim(ctx.req.form_value("email")) + ".");
}

Response Site::org_request(Ctx& ctx, const std::string& form_id, const std::function<core::Status(std::int64_t)>& ask,
                           const std::string& done) {
    std::optional<std::int64_t> id;
    if (auto refused = org_id_param(ctx, id)) return *refused;
    auto o = s_.orgs.get(*id);
    if (!o) return fail(ctx, o.error());
    std::string back = std::string(o->kind == "company" ? "/entreprises/" : "/acheteurs/") + o->siret;
    if (auto st = ask(*id); !st) {
        // An unverified address is not a matter of the form: said at the top of the page.
        if (st.error().code == core::ErrorCode::kForbidden)
            return redirect_flash(ctx, back, st.error().message, "warning");
        core::Error e = st.error();
        e.message = "Demande non envoyée." + (e.fields.empty() ? " " + e.message : "");
        return refuse_form(ctx, back + (form_id == "claim" ? "#revendiquer" : "#rejoindre"), form_id, e, {"message"});
    }
    return redirect_flash(ctx, back, done);
}

Response Site::join_request(Ctx& ctx) {
    return org_request(
        ctx, "join",
        [&](std::int64_t id) { return s_.orgs.request_membership(ctx.actor, id, ctx.req.form_value("message")); },
        "Votre demande est envoyée aux administrateurs de l'organisation.");
}

Response Site::org_claim(Ctx& ctx) {
    return org_request(
        ctx, "claim", [&](std::int64_t id) { return s_.orgs.claim(ctx.actor, id, ctx.req.form_value("message")); },
        "Votre demande est transmise à l'équipe de Passerelle, qui vous répondra par e-mail.");
}

Response Site::invitation_form(Ctx& ctx) {
    return page(ctx, "invitation", {{"title", "Accepter une invitation"}, {"jeton", ctx.req.query_param("jeton")}});
}

Response Site::invitation_accept(Ctx& ctx) {
    auto r = s_.orgs.accept_invitation(ctx.actor, ctx.req.form_value("jeton"));
    if (!r) {
        if (r.error().code == core::ErrorCode::kInvalidInput || r.error().code == core::ErrorCode::kForbidden)
            return page(ctx, "invitation", {{"title", "Accepter une invitation"}, {"error_message", r.error().message}},
                        status_for(r.error().code));
        return fail(ctx, r.error());
    }
    return redirect_flash(ctx, "/mon-espace/organisations/" + std::to_string(r.value()),
                          "Vous avez rejoint l'organisation.");
}

Response Site::cpv_suggestions(Ctx& ctx) {
    auto list = s_.reference.suggest_cpv(ctx.req.query_param("cpv_query"), 12);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& c : list.value())
        items.push_back({{"code", core::format_cpv(c.code, c.check_digit)},
                         {"label", c.label_fr},
                         {"choose_url", "/cpv/choix?code=" + c.code}});
    json view = {{"items", items},
                 {"empty", items.empty()},
                 {"count", std::to_string(items.size())},
                 {"query", ctx.req.query_param("cpv_query")}};
    return Response::html(templates_.render("_cpv_suggestions", view));
}

Response Site::cpv_choice(Ctx& ctx) {
    auto code = core::parse_cpv(ctx.req.query_param("code"));
    if (!code) return Response::html("", 422);
    auto list = s_.reference.suggest_cpv(code->code, 1);
    if (!list || list->empty() || list->front().code != code->code) return Response::html("", 404);
    json view = {{"code", core::format_cpv(code->code, list->front().check_digit)}, {"label", list->front().label_fr}};
    return Response::html(templates_.render("_cpv_chip", view));
}

}  // namespace passerelle::web
