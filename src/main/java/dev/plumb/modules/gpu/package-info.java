/**
 * The GPU host modules (kernel command line, module blacklist, vfio passthrough, NVIDIA driver,
 * CUDA, nova PCI configuration) and their cross-resource lints; registered through {@link
 * dev.plumb.modules.gpu.GpuModules}.
 */
package dev.plumb.modules.gpu;
