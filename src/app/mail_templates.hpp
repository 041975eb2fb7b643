// The texts of the e-mails the platform sends (French, plain text).
#pragma once

#include <cstdint>
#include <string>

namespace passerelle::app {

struct MailMessage {
    std::string subject;
    std::string body;
};

MailMessage verification_mail(const std::string& base_url, const std::string& token);
MailMessage reset_mail(const std::string& base_url, const std::string& token);
MailMessage invitation_mail(const std::string& base_url, const std::string& token, const std::string& org_name,
                            const std::string& inviter);
MailMessage membership_request_mail(const std::string& base_url, const std::string& org_name,
                                    const std::string& requester, long long org_id);
MailMessage membership_decision_mail(const std::string& base_url, const std::string& org_name, bool accepted);
// To an account's owner: a login from a browser never used before, and a password changed.
MailMessage new_browser_mail(const std::string& base_url, const std::string& address, std::int64_t at);
MailMessage password_changed_mail(const std::string& base_url, std::int64_t at);
// Two-factor authentication: turned on or off (`by_administrator`: reset by the platform's team), new recovery
// codes, a recovery code used to log in (with how many are left).
MailMessage second_factor_mail(const std::string& base_url, bool enabled, bool by_administrator, std::int64_t at);
MailMessage recovery_codes_mail(const std::string& base_url, std::int64_t at);
MailMessage recovery_code_used_mail(const std::string& base_url, const std::string& address, std::int64_t left,
                                    std::int64_t at);
// To an organisation's members when a platform administrator suspends it, or lifts the suspension.
MailMessage suspension_mail(const std::string& base_url, const std::string& org_name, std::int64_t org_id,
                            bool suspended);
// To the person who declared a buyer organisation, once a platform administrator has vetted it.
MailMessage vetting_decision_mail(const std::string& base_url, const std::string& org_name, std::int64_t org_id,
                                  bool approved, const std::string& note);

}  // namespace passerelle::app
