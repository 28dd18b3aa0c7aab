package dev.plumb.modules.gpu;

import java.util.List;

/**
 * What nova_pci needs from an INI document. TODO(merge): replace with dev.plumb.modules.IniDocument
 */
interface NovaConf {
  /** Every value of a (possibly multi-valued) option, in file order. */
  List<String> values(String section, String option);

  /**
   * The document with all values of the option replaced (an empty list removes it), every other
   * line kept. Shaped like IniDocument.set, which returns a new document.
   */
  NovaConf set(String section, String option, List<String> values);

  String render();

  static NovaConf parse(String text) {
    return MiniIni.parse(text);
  }
}
