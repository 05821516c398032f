/* The client address behind reverse proxies (server/http/proxy.c): which address
 * every per-address limit keys on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"

typedef struct {
    spur_http_config_t cfg;
    spur_http_cidr_t *cidrs;
} fixture_t;

static fixture_t trust(const char *list)
{
    fixture_t f;
    char err[160];
    memset(&f.cfg, 0, sizeof(f.cfg));
    f.cidrs = NULL;
    assert_int_equal(spur_http_cidrs_parse(list, &f.cidrs, &f.cfg.ntrusted, err, sizeof(err)), 0);
    f.cfg.trusted = f.cidrs;
    return f;
}

/* The client key of a request from peer with the given headers (name, value, ...). */
static const char *client(const fixture_t *f, const char *peer, int nh, ...)
{
    static char out[64];
    spur_http_header_t h[8];
    spur_http_req_t req;
    va_list ap;

    memset(&req, 0, sizeof(req));
    va_start(ap, nh);
    for (int i = 0; i < nh; i++) {
        h[i].name = va_arg(ap, const char *);
        h[i].value = va_arg(ap, const char *);
    }
    va_end(ap);
    req.headers = h;
    req.nheaders = (size_t)nh;
    spur_http_client_of(&f->cfg, &req, peer, out, sizeof(out));
    return out;
}

static void ranges_parse_and_bad_ones_are_refused(void **state)
{
    spur_http_cidr_t *c = NULL;
    size_t n = 0;
    char err[160];
    (void)state;

    assert_int_equal(
        spur_http_cidrs_parse("127.0.0.1/32, ::1,10.0.0.0/8 fd00::/8", &c, &n, err, sizeof(err)),
        0);
    assert_int_equal(n, 4);
    assert_int_equal(c[1].bits, 128);
    free(c);
    assert_int_equal(spur_http_cidrs_parse("", &c, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 0);
    const char *bad[] = {"10.0.0.0/33", "::1/129",   "10.0.0/8", "nginx",
                         "10.0.0.0/",   "1.2.3.4/x", "[::1]",    "10.0.0.0/-1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(spur_http_cidrs_parse(bad[i], &c, &n, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "address range"));
    }
}

static void without_trust_forwarded_headers_are_ignored(void **state)
{
    fixture_t f = trust("");
    (void)state;
    assert_string_equal(client(&f, "203.0.113.7", 1, "X-Forwarded-For", "198.51.100.1"),
                        "203.0.113.7");
    assert_string_equal(client(&f, "203.0.113.7", 1, "Forwarded", "for=198.51.100.1"),
                        "203.0.113.7");
    free(f.cidrs);
}

static void an_untrusted_peer_cannot_forge_its_address(void **state)
{
    fixture_t f = trust("127.0.0.1/32");
    (void)state;
    assert_string_equal(client(&f, "203.0.113.7", 1, "X-Forwarded-For", "198.51.100.1"),
                        "203.0.113.7");
    free(f.cidrs);
}

static void behind_a_proxy_the_rightmost_untrusted_entry_is_the_client(void **state)
{
    fixture_t f = trust("127.0.0.1,10.0.0.0/8");
    (void)state;
    /* nginx appended the phone's address to what the phone claimed */
    assert_string_equal(client(&f, "127.0.0.1", 1, "X-Forwarded-For", "1.1.1.1, 198.51.100.9"),
                        "198.51.100.9");
    /* two proxies of ours: the load balancer's entry is skipped */
    assert_string_equal(
        client(&f, "127.0.0.1", 1, "X-Forwarded-For", "1.1.1.1, 198.51.100.9, 10.1.2.3"),
        "198.51.100.9");
    /* the same header twice: the later one was added later */
    assert_string_equal(
        client(&f, "127.0.0.1", 2, "X-Forwarded-For", "1.1.1.1", "x-forwarded-for", "198.51.100.9"),
        "198.51.100.9");
    /* no header: the proxy's own request */
    assert_string_equal(client(&f, "127.0.0.1", 0), "127.0.0.1");
    /* every entry trusted: the leftmost */
    assert_string_equal(client(&f, "127.0.0.1", 1, "X-Forwarded-For", "10.9.9.9, 10.1.1.1"),
                        "10.9.9.9");
    /* garbage where an address belongs: the proxy's */
    assert_string_equal(client(&f, "127.0.0.1", 1, "X-Forwarded-For", "unknown"), "127.0.0.1");
    /* ports are dropped */
    assert_string_equal(client(&f, "127.0.0.1", 1, "X-Forwarded-For", "198.51.100.9:4711"),
                        "198.51.100.9");
    free(f.cidrs);
}

static void forwarded_for_is_read_when_there_is_no_x_forwarded_for(void **state)
{
    fixture_t f = trust("127.0.0.1");
    (void)state;
    assert_string_equal(
        client(&f, "127.0.0.1", 1, "Forwarded", "for=1.1.1.1, for=198.51.100.9;proto=https"),
        "198.51.100.9");
    assert_string_equal(client(&f, "127.0.0.1", 1, "Forwarded",
                               "proto=https;for=\"[2001:db8:cafe:1:2:3:4:5]:4711\""),
                        "2001:db8:cafe:1::/64");
    assert_string_equal(
        client(&f, "127.0.0.1", 2, "X-Forwarded-For", "198.51.100.9", "Forwarded", "for=1.1.1.1"),
        "198.51.100.9");
    free(f.cidrs);
}

static void ipv6_clients_are_keyed_by_their_64(void **state)
{
    fixture_t f = trust("::1");
    char key[64];
    (void)state;
    assert_string_equal(client(&f, "2001:db8:1:2:aaaa::1", 0), "2001:db8:1:2::/64");
    assert_string_equal(client(&f, "2001:db8:1:2:bbbb::9", 0), "2001:db8:1:2::/64");
    assert_string_equal(client(&f, "::1", 1, "X-Forwarded-For", "2001:db8:1:3::5"),
                        "2001:db8:1:3::/64");
    /* an IPv4 client on a dual-stack socket is plain IPv4 */
    assert_string_equal(client(&f, "::ffff:198.51.100.9", 0), "198.51.100.9");
    spur_http_addr_key("2001:DB8:0:0:1::1", key, sizeof(key));
    assert_string_equal(key, "2001:db8::/64");
    assert_true(spur_http_addr_trusted(&f.cfg, "::1"));
    assert_false(spur_http_addr_trusted(&f.cfg, "::2"));
    free(f.cidrs);
}

static void a_long_chain_is_not_walked_without_end(void **state)
{
    fixture_t f = trust("10.0.0.0/8");
    char chain[40 * 12 + 1] = "";
    (void)state;
    for (int i = 0; i < 40; i++)
        strcat(chain, i ? ", 10.0.0.1" : "198.51.100.9");
    /* 39 trusted hops: past the limit the request counts as the proxy's own */
    assert_string_equal(client(&f, "10.0.0.2", 1, "X-Forwarded-For", chain), "10.0.0.2");
    free(f.cidrs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranges_parse_and_bad_ones_are_refused),
        cmocka_unit_test(without_trust_forwarded_headers_are_ignored),
        cmocka_unit_test(an_untrusted_peer_cannot_forge_its_address),
        cmocka_unit_test(behind_a_proxy_the_rightmost_untrusted_entry_is_the_client),
        cmocka_unit_test(forwarded_for_is_read_when_there_is_no_x_forwarded_for),
        cmocka_unit_test(ipv6_clients_are_keyed_by_their_64),
        cmocka_unit_test(a_long_chain_is_not_walked_without_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
