package dev.plumb.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SensitiveTest {

  @Test
  void redact_knownSecret_replacedEverywhereItAppears_longestFirst() {
    Sensitive s = Sensitive.of(List.of("hunter22", "hunter22-and-more", "ab"));
    assertThat(s.redact("a=hunter22-and-more b=hunter22 c=ab"))
        .isEqualTo("a=(sensitive) b=(sensitive) c=ab");
  }

  @Test
  void redact_jsonEscapedSecret_isFoundToo() {
    Sensitive s = Sensitive.of(List.of("pa\"ss\\word"));
    assertThat(s.redact("{\"x\": \"pa\\\"ss\\\\word\"}")).isEqualTo("{\"x\": \"(sensitive)\"}");
  }

  @Test
  void redactLine_credentialOptions_keepKeyLoseValue() {
    assertThat(Sensitive.redactLine("connection = mysql+pymysql://nova:NOVA_DBPASS@controller/nova"))
        .isEqualTo("connection = (sensitive)");
    assertThat(Sensitive.redactLine("transport_url=rabbit://openstack:RABBIT@ctl")).isEqualTo("transport_url=(sensitive)");
    assertThat(Sensitive.redactLine("  password: s3cret")).isEqualTo("  password: (sensitive)");
    assertThat(Sensitive.redactLine("memcache_secret_key = abc")).isEqualTo("memcache_secret_key = (sensitive)");
    assertThat(Sensitive.redactLine("export OS_PASSWORD=\"x y\"")).isEqualTo("export OS_PASSWORD=(sensitive)");
  }

  @Test
  void redactLine_ordinaryOptionsAndSections_untouched() {
    for (String line : List.of("[keystone_authtoken]", "auth_type = password", "my_ip = 10.0.0.31",
        "virt_type = kvm", "# password = example", "GRUB_CMDLINE_LINUX=\"quiet\"", "auth:")) {
      assertThat(Sensitive.redactLine(line)).as(line).isEqualTo(line);
    }
  }

  @Test
  void digestAll_storesDigestsNotValues_andStaysStableForTheSameValue() {
    String text = "[database]\nconnection = mysql://nova:pw@db/nova\ndebug = false\n";
    String once = Sensitive.none().digestAll(text);
    assertThat(once).doesNotContain("mysql://").contains("connection = (sensitive sha256:").contains("debug = false");
    assertThat(Sensitive.none().digestAll(text)).isEqualTo(once);
    assertThat(Sensitive.none().digestAll(text.replace("pw", "pw2"))).isNotEqualTo(once);
  }

  @Test
  void isCredentialName_examples() {
    assertThat(List.of("ansible_become_password", "ansible_ssh_pass", "admin_password", "rabbit_password",
        "connection", "slave_connection", "transport_url", "auth_token", "api_key", "db_secret"))
        .allMatch(Sensitive::isCredentialName);
    assertThat(List.of("inventory_hostname", "ansible_connection", "my_ip", "ids", "keyboard", "ansible_ssh_private_key_file", "auth_type"))
        .noneMatch(Sensitive::isCredentialName);
  }
}
