import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Build step of bin/plumb (run as a single-file program: java src/build/UnsignJars.java JAR...):
 * rewrites each signed jar without its signature files and without the per-entry digest sections
 * of its manifest. Why: the JVM verifies a signed jar on the class path at every start (it hashes
 * the manifest and every class it loads from it, and checks an RSA signature), and class data
 * sharing never archives classes from a signed jar. bcprov (BouncyCastle, via sshj) and jgit are
 * signed: together that was ~40% of a cold `plumb check` of one host (see BENCHMARKS.md). The jars'
 * integrity is checked by Maven when it downloads them; nothing in plumb relies on the signatures.
 * Unsigned jars are left untouched, so running it twice changes nothing.
 */
public class UnsignJars {
  private static final Pattern SIGNATURE =
      Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]+", Pattern.CASE_INSENSITIVE);

  public static void main(String[] args) throws IOException {
    for (String a : args) {
      Path jar = Path.of(a);
      boolean signed;
      try (JarFile in = new JarFile(jar.toFile(), false)) {
        signed = in.stream().anyMatch(e -> SIGNATURE.matcher(e.getName()).matches());
      }
      if (signed) {
        unsign(jar);
      }
    }
  }

  private static void unsign(Path jar) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (JarFile in = new JarFile(jar.toFile(), false);
        OutputStream file = Files.newOutputStream(tmp);
        JarOutputStream out = new JarOutputStream(file)) {
      Manifest manifest = in.getManifest();
      if (manifest != null) {
        manifest.getEntries().clear(); // per-entry digests; the main attributes (Multi-Release, ...) stay
        out.putNextEntry(new JarEntry(JarFile.MANIFEST_NAME));
        manifest.write(out);
        out.closeEntry();
      }
      for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
        String name = e.getName();
        if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME) || SIGNATURE.matcher(name).matches()) {
          continue;
        }
        JarEntry copy = new JarEntry(name);
        copy.setTime(e.getTime());
        out.putNextEntry(copy);
        try (InputStream data = in.getInputStream(e)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
  }
}
