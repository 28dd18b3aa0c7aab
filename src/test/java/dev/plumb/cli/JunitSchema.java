package dev.plumb.cli;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

/** Validates a report against the JUnit XML schema Jenkins and GitLab read (src/test/resources/junit). */
public final class JunitSchema {
  private JunitSchema() {}

  /** @throws AssertionError naming the line and column of the first violation */
  public static void validate(String xml) {
    try {
      SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
      Schema schema = factory.newSchema(JunitSchema.class.getResource("/junit/junit-10.xsd"));
      schema.newValidator().validate(new StreamSource(new StringReader(xml)));
    } catch (org.xml.sax.SAXParseException e) {
      throw new AssertionError("not valid JUnit XML at " + e.getLineNumber() + ":" + e.getColumnNumber() + ": "
          + e.getMessage() + "\n" + xml, e);
    } catch (Exception e) {
      throw new AssertionError("could not validate the JUnit XML: " + e + "\n" + xml, e);
    }
  }
}
