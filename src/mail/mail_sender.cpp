#include "mail/mail_sender.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <fstream>

#include "core/french.hpp"

namespace passerelle::mail {

namespace outbox = storage::outbox;

namespace {

std::string base64(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    while (i + 2 < in.size()) {
        unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += t[(n >> 18) & 63];
        out += t[(n >> 12) & 63];
        out += t[(n >> 6) & 63];
        out += t[n & 63];
        i += 3;
    }
    if (i + 1 == in.size()) {
        unsigned n = static_cast<unsigned char>(in[i]) << 16;
        out += t[(n >> 18) & 63];
        out += t[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += t[(n >> 18) & 63];
        out += t[(n >> 12) & 63];
        out += t[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

std::string rfc2822_date(std::int64_t now) {
    static const char* days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto c = core::to_utc(now);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[(now / 86400) % 7], c.day,
                  months[c.month - 1], c.year, c.hour, c.minute, c.second);
    return buf;
}

std::string address_of(const std::string& from) {
    auto lt = from.find('<');
    auto gt = from.find('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) return from.substr(lt + 1, gt - lt - 1);
    return from;
}

}  // namespace

std::string format_message(const outbox::MailRecord& m, const std::string& from, std::int64_t now) {
    std::string crlf_body;
    for (char c : m.body_text) {
        if (c == '\n')
            crlf_body += "\r\n";
        else
            crlf_body += c;
    }
    std::string head = "Date: " + rfc2822_date(now) + "\r\nFrom: " + from + "\r\nTo: " + m.recipient +
                       "\r\nSubject: =?UTF-8?B?" + base64(m.subject) + "?=\r\nMessage-ID: <outbox-" +
                       std::to_string(m.id) + "@passerelle>\r\nMIME-Version: 1.0\r\n";
    const std::string text_part = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
    if (m.attachments.empty()) return head + text_part + crlf_body + "\r\n";
    // multipart/mixed: the text, then each file in base64 (lines of 76 characters).
    const std::string boundary = "passerelle-" + std::to_string(m.id) + "-part";
    std::string out = head + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary +
                      "\r\n" + text_part + crlf_body + "\r\n";
    for (const auto& a : m.attachments) {
        out += "--" + boundary + "\r\nContent-Type: " + a.content_type + "; name=\"" + a.filename +
               "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" + a.filename +
               "\"\r\n\r\n";
        for (std::size_t i = 0; i < a.content_base64.size(); i += 76) out += a.content_base64.substr(i, 76) + "\r\n";
    }
    return out + "--" + boundary + "--\r\n";
}

core::Status FileTransport::send(const outbox::MailRecord& m) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    auto path = dir_ / ("mail-" + std::to_string(m.id) + ".eml");
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << format_message(m, from_, clock_.now());
        if (!out) return core::Error::Unavailable("écriture impossible : " + tmp.string());
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) return core::Error::Unavailable("renommage impossible : " + ec.message());
    // Never the body's links: reset and verification links are secrets, and logs travel further than mail.
    spdlog::info("mail to {} written to {}", m.recipient, path.string());
    return {};
}

core::Status SmtpTransport::send(const outbox::MailRecord& m) {
    CURL* curl = curl_easy_init();
    if (!curl) return core::Error::Unavailable("curl indisponible");
    std::string payload = format_message(m, s_.from, clock_.now());
    std::size_t offset = 0;
    struct Reader {
        static std::size_t read(char* buf, std::size_t size, std::size_t n, void* user) {
            auto* self = static_cast<std::pair<std::string*, std::size_t*>*>(user);
            std::size_t left = self->first->size() - *self->second;
            std::size_t k = std::min(left, size * n);
            std::memcpy(buf, self->first->data() + *self->second, k);
            *self->second += k;
            return k;
        }
    };
    std::pair<std::string*, std::size_t*> state{&payload, &offset};
    struct curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.recipient + ">").c_str());
    std::string mail_from = "<" + address_of(s_.from) + ">";
    curl_easy_setopt(curl, CURLOPT_URL, s_.url.c_str());
    if (!s_.user.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, s_.user.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, s_.password.c_str());
        curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Reader::read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &state);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) return core::Error::Unavailable(std::string("SMTP : ") + curl_easy_strerror(rc));
    return {};
}

std::unique_ptr<MailTransport> make_transport(const SmtpSettings& s, const std::filesystem::path& mail_dir,
                                              const core::Clock& clock) {
    if (s.url.empty()) return std::make_unique<FileTransport>(mail_dir, s.from, clock);
    return std::make_unique<SmtpTransport>(s, clock);
}

std::int64_t backoff_seconds(int attempts) {
    std::int64_t s = 60;
    for (int i = 0; i < attempts && s < 6 * 3600; ++i) s *= 2;
    return std::min<std::int64_t>(s, 6 * 3600);
}

core::Result<int> MailWorker::deliver_due(int limit) {
    auto due = storage::fetch<std::vector<outbox::MailRecord>>(
        db_, [&](storage::Connection& c) { return outbox::due(c, clock_.now(), limit); });
    if (!due) return due.error();
    int sent = 0;
    for (const auto& m : due.value()) {
        core::Status st = transport_.send(m);
        core::Status recorded = db_.with_connection([&](storage::Connection& c) {
            return st ? outbox::mark_sent(c, m.id, clock_.now())
                      : outbox::mark_failed(c, m.id, st.error().message, clock_.now() + backoff_seconds(m.attempts));
        });
        if (!recorded) return recorded.error();
        if (st) {
            ++sent;
        } else {
            spdlog::warn("mail {} to {} failed (attempt {}): {}", m.id, m.recipient, m.attempts + 1,
                         st.error().message);
        }
    }
    return sent;
}

void MailWorker::start(int period_ms) {
    loop_.start(
        [this] {
            auto r = deliver_due();
            if (!r) spdlog::warn("mail worker: {}", r.error().message);
        },
        std::chrono::milliseconds(period_ms));
}

}  // namespace passerelle::mail
