#include "http/client_address.hpp"

#include <gtest/gtest.h>

using namespace passerelle::http;

namespace {
std::vector<Cidr> nets(std::initializer_list<const char*> list) {
    std::vector<Cidr> out;
    for (const char* s : list) out.push_back(parse_cidr(s).value());
    return out;
}
}  // namespace

TEST(ClientAddress, CidrsContainTheirAddresses) {
    auto lan = parse_cidr("10.0.0.0/8").value();
    EXPECT_TRUE(contains(lan, "10.1.2.3"));
    EXPECT_FALSE(contains(lan, "11.0.0.1"));
    auto one = parse_cidr("127.0.0.1").value();
    EXPECT_TRUE(contains(one, "127.0.0.1"));
    EXPECT_FALSE(contains(one, "127.0.0.2"));
    auto v6 = parse_cidr("fd00::/8").value();
    EXPECT_TRUE(contains(v6, "fd12::1"));
    EXPECT_FALSE(contains(v6, "fe80::1"));
    EXPECT_FALSE(contains(v6, "10.0.0.1"));
    EXPECT_TRUE(contains(parse_cidr("0.0.0.0/0").value(), "192.0.2.1"));
    for (const char* bad : {"", "10.0.0.0/33", "10.0.0/8", "fd00::/129", "x", "10.0.0.0/-1", "10.0.0.0/8x"})
        EXPECT_FALSE(parse_cidr(bad)) << bad;
}

// Issue 20, item 4: behind the TLS proxy, the client is the right-most untrusted hop; without trusted proxies,
// or from an untrusted peer, the headers are ignored.
TEST(ClientAddress, RightMostUntrustedHopIsTheClient) {
    const auto proxies = nets({"127.0.0.1", "10.0.0.0/8"});
    EXPECT_EQ(client_address("127.0.0.1", "", "203.0.113.7", proxies), "203.0.113.7");
    // A client writing its own header cannot pick its address: the proxy appends the real one.
    EXPECT_EQ(client_address("127.0.0.1", "", "1.2.3.4, 203.0.113.7", proxies), "203.0.113.7");
    EXPECT_EQ(client_address("127.0.0.1", "", "203.0.113.7, 10.0.0.5", proxies), "203.0.113.7");
    EXPECT_EQ(client_address("127.0.0.1", "for=192.0.2.60;proto=https, for=\"[2001:db8::17]:4711\"", "", proxies),
              "2001:db8::17");
    EXPECT_EQ(client_address("127.0.0.1", "for=192.0.2.60:8080", "9.9.9.9", proxies), "192.0.2.60");
    EXPECT_EQ(client_address("198.51.100.1", "", "203.0.113.7", proxies), "198.51.100.1");  // untrusted peer
    EXPECT_EQ(client_address("127.0.0.1", "", "203.0.113.7", {}), "127.0.0.1");             // no trusted proxy
    EXPECT_EQ(client_address("127.0.0.1", "", "", proxies), "127.0.0.1");
    EXPECT_EQ(client_address("127.0.0.1", "", "garbage", proxies), "127.0.0.1");
    EXPECT_EQ(client_address("127.0.0.1", "", "10.0.0.2, 10.0.0.3", proxies), "10.0.0.2");  // all proxies
}
