# shellcheck shell=sh disable=SC3043
# Shared state model of a simulated GPU host (POSIX sh, sourced).
# ROOT is "" inside a host (its namespaces), or .lab/hosts/<name>/root when the
# supervisor computes the next boot from outside.
: "${ROOT:=}"
LAB_STATE=$ROOT/var/lib/lab
# The running kernel (the release the last boot chose; profile rocky9 has two installed).
# (read, not cat: every stub sources this file, and a real systemctl or modprobe costs one process,
# so a stub should not cost several more)
KVER=; read -r KVER 2>/dev/null <"$ROOT/proc/sys/kernel/osrelease" || true
KVER=${KVER:-4.4.0-31-generic}
SYS=$ROOT/sys

lab_count() { # lab_count CMD ARGS... : one line per call in /var/lib/lab/calls/CMD
  _c=$1; shift
  [ -d "$LAB_STATE/calls" ] || mkdir -p "$LAB_STATE/calls"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$LAB_STATE/calls/$_c"
}

knob() { # knob NAME DEFAULT : per-host knob (copied into /var/lib/lab/knobs)
  _v=$(sed -n "s/^$1=//p" "$LAB_STATE/knobs" 2>/dev/null | tail -n 1)
  printf '%s\n' "${_v:-$2}"
}

profile() { knob profile default; }

el_profile() { case $(profile) in rocky9|centos7) return 0 ;; esac; return 1; }

initrd_of() { # initrd_of KVER : the initramfs image of a kernel (EL: initramfs-K.img, Debian: initrd.img-K)
  if el_profile; then echo "$ROOT/boot/initramfs-$1.img"; else echo "$ROOT/boot/initrd.img-$1"; fi
}

lab_kernels() { # installed kernels, newest first
  for _f in "$ROOT"/boot/vmlinuz-*; do [ -f "$_f" ] && echo "${_f##*/vmlinuz-}"; done | sort -V -r
}

BLS_DIR=$ROOT/boot/loader/entries

bls_default_entry() { # the default BLS entry file: grubenv's saved_entry, else the newest kernel's
  _id=$(sed -n 's/^saved_entry=//p' "$ROOT/boot/grub2/grubenv" 2>/dev/null | head -n 1)
  if [ -n "$_id" ] && [ -f "$BLS_DIR/$_id.conf" ]; then echo "$BLS_DIR/$_id.conf"; return 0; fi
  for _e in "$BLS_DIR"/*.conf; do [ -f "$_e" ] && echo "$_e"; done | sort -V -r | head -n 1
}

bls_field() { sed -n "s/^$2[ 	]\{1,\}//p" "$1" | head -n 1; } # bls_field ENTRY KEY

uses_bls() { grep -qs '^[[:space:]]*blscfg' "$(grub_cfg)"; }

modname() { printf '%s\n' "$1" | tr - _; }

mod_loaded() { [ "$(cat "$SYS/module/$(modname "$1")/initstate" 2>/dev/null)" = live ]; }

mod_builtin() { # built into the kernel (profile ubuntu2204: vfio, vfio-pci, ...): listed in modules.builtin
  [ -f "$ROOT/lib/modules/$KVER/modules.builtin" ] || return 1
  sed 's#^.*/##; s#\.ko.*$##' "$ROOT/lib/modules/$KVER/modules.builtin" | tr - _ | grep -qx "$(modname "$1")"
}

proc_modules_sync() { # /proc/modules (only where the profile has it) lists the live modules, as the kernel does
  [ -f "$ROOT/proc/modules" ] || return 0
  for _pm in "$SYS"/module/*/initstate; do
    [ "$(cat "$_pm" 2>/dev/null)" = live ] || continue
    _pn=${_pm%/initstate}; printf '%s 16384 0 - Live 0x0000000000000000\n' "${_pn##*/}"
  done >"$ROOT/proc/modules"
}

mod_ko() { # path of the module file on disk, empty when absent
  _u=$(modname "$1"); _d=$(printf '%s\n' "$_u" | tr _ -)
  find "$ROOT/lib/modules/$KVER" \( -name "$_u.ko" -o -name "$_d.ko" \) 2>/dev/null | sort | head -n 1
}

ko_field() { sed -n "s/^$2=//p" "$1" | head -n 1; }

mod_deps() { # modules a module needs loaded first
  case $(modname "$1") in
    nvidia_uvm|nvidia_modeset) echo nvidia ;;
    nvidia_drm) echo nvidia_modeset ;;
    vfio_pci|vfio_iommu_type1|vfio_virqfd) echo vfio ;;
    snd_hda_intel) echo snd_hda_codec ;;
    kvm_intel|kvm_amd) echo kvm ;;
  esac
}

mod_holders() { # loaded modules that use $1
  for _h in nvidia_uvm nvidia_modeset nvidia_drm vfio_pci vfio_iommu_type1 vfio_virqfd snd_hda_intel kvm_intel kvm_amd; do
    if [ "$(mod_deps "$_h")" = "$(modname "$1")" ] && mod_loaded "$_h"; then echo "$_h"; fi
  done
}

mod_mark_loaded() {
  mkdir -p "$SYS/module/$(modname "$1")"
  echo live >"$SYS/module/$(modname "$1")/initstate"
  proc_modules_sync
}

mod_in_use() { # a process holds the module (knob driver_in_use: a CUDA job has /dev/nvidia0 open): refcount > holders
  [ "$(modname "$1")" = nvidia ] && [ "$(knob driver_in_use 0)" = 1 ] && mod_loaded nvidia
}

mod_mark_unloaded() { rm -rf "${SYS:?}/module/$(modname "$1")"; proc_modules_sync; }

# PCI devices: /sys/bus/pci/devices/<addr> -> ../../../devices/pci0000:00/<addr>
pci_addrs() { for _p in "$SYS"/bus/pci/devices/*; do [ -e "$_p" ] && echo "${_p##*/}"; done; }
pci_attr() { cat "$SYS/bus/pci/devices/$1/$2"; }
pci_id() { printf '%s:%s\n' "$(pci_attr "$1" vendor | sed 's/^0x//')" "$(pci_attr "$1" device | sed 's/^0x//')"; }
pci_driver() { _l=$(readlink "$SYS/bus/pci/devices/$1/driver" 2>/dev/null) || return 0; echo "${_l##*/}"; }
pci_override() { # driver_override of a device, empty for (null)
  _o=$(cat "$SYS/bus/pci/devices/$1/driver_override" 2>/dev/null || true); [ "$_o" = "(null)" ] || echo "$_o"
}
override_addrs() { # override_addrs CONF : addresses the install command of vfio-pci sets driver_override=vfio-pci for
  printf '%s\n' "$1" | sed 's/#.*//' | awk '$1 == "install" && ($2 == "vfio-pci" || $2 == "vfio_pci")' \
    | grep -o 'echo vfio-pci > /sys/bus/pci/devices/[^/]*/driver_override' | sed 's#.*/devices/##; s#/driver_override##' || true
}

pci_candidates() { # driver modules that claim a device by class/vendor, preferred first
  _cls=$(pci_attr "$1" class); _ven=$(pci_attr "$1" vendor)
  case $_cls in
    0x0300*|0x0302*) [ "$_ven" = 0x10de ] && echo "nvidia nouveau" ;;
    0x0403*) echo snd_hda_intel ;;
    0x0200*) echo e1000e ;;
    0x0c0330*) echo xhci_pci ;;
    0x0c80*) [ "$_ven" = 0x10de ] && echo i2c_nvidia_gpu ;;
  esac
}

has_vfio_softdep() { # has_vfio_softdep MODULE CONF : a `softdep MODULE pre: ... vfio-pci` line
  printf '%s\n' "$2" | sed 's/#.*//' | tr - _ | awk -v m="$(modname "$1")" '
    $1 == "softdep" && $2 == m { for (i = 3; i <= NF; i++) if ($i == "vfio_pci") f = 1 } END { exit !f }'
}

drv_of_mod() { # sysfs driver name of a module
  case $(modname "$1") in vfio_pci) echo vfio-pci ;; xhci_pci) echo xhci_hcd ;; i2c_nvidia_gpu) echo nvidia-gpu ;; *) modname "$1" ;; esac
}

pci_bind() { # pci_bind ADDR DRIVER
  mkdir -p "$SYS/bus/pci/drivers/$2"
  ln -sfn "../../../bus/pci/drivers/$2" "$SYS/devices/pci0000:00/$1/driver"
  ln -sfn "../../../../devices/pci0000:00/$1" "$SYS/bus/pci/drivers/$2/$1"
}

pci_unbind() {
  _dr=$(pci_driver "$1")
  [ -n "$_dr" ] || return 0
  rm -f "$SYS/devices/pci0000:00/$1/driver" "$SYS/bus/pci/drivers/$_dr/$1"
}

has_iommu_group() { [ -L "$SYS/bus/pci/devices/$1/iommu_group" ]; }

# modprobe configuration: *.conf in a modprobe.d dir, or the copy in the initramfs image
conf_live() { cat "$ROOT"/etc/modprobe.d/*.conf 2>/dev/null || true; }
conf_initrd() { # the modprobe.d files captured by the last update-initramfs
  awk '/^### /{ inside = ($2 ~ /^\/etc\/modprobe\.d\/.*\.conf$/); next } inside' "$(initrd_of "$KVER")" 2>/dev/null || true
}

cmdline_param() { # values of key= on a kernel command line (stdin), comma separated joined
  tr ' ' '\n' | sed -n "s/^$1=//p" | tr '\n' ',' | sed 's/,$//'
}

blocked() { # blocked MODULE CONF CMDLINE : blacklist / install-override / modprobe.blacklist=
  _m=$(modname "$1")
  printf '%s\n' "$2" | sed 's/#.*//' | tr - _ | awk -v m="$_m" '
    ($1 == "blacklist" && $2 == m) || ($1 == "install" && $2 == m && $0 !~ /modprobe +(_i|__ignore_install) /) { found = 1 }
    END { exit !found }' && return 0 # an install command that loads the module itself (modprobe -i; dashes read as _ here) is a hook, not a block
  printf '%s\n' "$3" | cmdline_param modprobe.blacklist | tr , '\n' | tr - _ | grep -qx "$_m"
}

install_cmd() { # install COMMAND for a module in CONF, if any
  printf '%s\n' "$2" | sed 's/#.*//' | awk -v m="$(modname "$1")" '{ n = $2; gsub("-", "_", n) } $1 == "install" && n == m { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }'
}

vfio_ids() { # vfio_ids CONF CMDLINE : vendor:device ids claimed by vfio-pci, one a line
  # A built-in vfio-pci never reads modprobe.d: only vfio-pci.ids= on the command line counts.
  _vconf=$1; if mod_builtin vfio_pci; then _vconf=; fi
  {
    printf '%s\n' "$_vconf" | sed 's/#.*//' | awk '$1 == "options" && ($2 == "vfio-pci" || $2 == "vfio_pci") {
      for (i = 3; i <= NF; i++) if ($i ~ /^ids=/) { sub(/^ids=/, "", $i); print $i } }'
    printf '%s\n' "$2" | cmdline_param vfio-pci.ids
    printf '%s\n' "$2" | cmdline_param vfio_pci.ids
  } | tr , '\n' | tr 'A-F' 'a-f' | grep -v '^$' || true
}

nvidia_installed_version() { _k=$(mod_ko nvidia); [ -n "$_k" ] && ko_field "$_k" version; }

nvidia_proc_version() { # /proc/driver/nvidia/version for a loaded module of version $1
  mkdir -p "$ROOT/proc/driver/nvidia"
  printf 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  %s  Tue Jul 12 21:42:54 PDT 2016\nGCC version:  gcc version 5.4.0 20160609 (Ubuntu 5.4.0-6ubuntu1~16.04.1)\n' "$1" \
    >"$ROOT/proc/driver/nvidia/version"
}

# Load a module and bind the free devices it claims. Prints an error and returns 1
# the way modprobe does. CONF/CMDLINE decide vfio-pci ids.
mod_load() { # mod_load MODULE CONF CMDLINE
  local _n _dep _drv _bound _cands _ids _a # recursive (dependencies): dash and busybox sh have local
  _n=$(modname "$1")
  mod_builtin "$_n" && return 0 # modprobe of a built-in module succeeds and does nothing
  [ -n "$(mod_ko "$_n")" ] || { echo "modprobe: FATAL: Module $1 not found in directory /lib/modules/$KVER" >&2; return 1; }
  for _dep in $(mod_deps "$_n"); do mod_loaded "$_dep" || mod_load "$_dep" "$2" "$3" || return 1; done
  mod_loaded "$_n" && return 0
  _drv=$(drv_of_mod "$_n"); _bound=0; _cands=0
  _ids=$(vfio_ids "$2" "$3")
  for _a in $(pci_addrs); do
    _ov=$(pci_override "$_a")
    if [ -n "$_ov" ]; then
      [ "$_ov" = "$_drv" ] || continue # driver_override: only that driver may bind the device
    elif [ "$_n" = vfio_pci ]; then
      printf '%s\n' "$_ids" | grep -qx "$(pci_id "$_a")" || continue
    else
      case " $(pci_candidates "$_a") " in *" $_n "*) ;; *) continue ;; esac
    fi
    _cands=$((_cands + 1))
    [ -z "$(pci_driver "$_a")" ] || continue
    if [ "$_n" = vfio_pci ] && ! has_iommu_group "$_a"; then continue; fi
    pci_bind "$_a" "$_drv"; _bound=$((_bound + 1))
  done
  if [ "$_n" = nvidia ] && [ "$_bound" -eq 0 ]; then
    echo "modprobe: ERROR: could not insert 'nvidia': No such device" >&2; return 1
  fi
  mod_mark_loaded "$_n"
  if [ "$_n" = nvidia ]; then nvidia_proc_version "$(nvidia_installed_version)"; fi
  return 0
}

mod_unload() { # mod_unload MODULE
  _n=$(modname "$1")
  if mod_builtin "$_n"; then echo "modprobe: FATAL: Module $_n is builtin." >&2; return 1; fi
  mod_loaded "$_n" || return 0
  _hold=$(mod_holders "$_n" | tr '\n' ' ')
  if [ -n "$_hold" ] || mod_in_use "$_n"; then echo "modprobe: FATAL: Module $_n is in use." >&2; return 1; fi
  _drv=$(drv_of_mod "$_n")
  for _a in $(pci_addrs); do [ "$(pci_driver "$_a")" = "$_drv" ] && pci_unbind "$_a"; done
  mod_mark_unloaded "$_n"
  [ "$_n" = nvidia ] && rm -rf "$ROOT/proc/driver/nvidia"
  return 0
}

grub_cfg() { # the next-boot config: Debian /boot/grub/grub.cfg, EL /boot/grub2/grub.cfg
  if [ -f "$ROOT/boot/grub/grub.cfg" ]; then echo "$ROOT/boot/grub/grub.cfg"; else echo "$ROOT/boot/grub2/grub.cfg"; fi
}

grub_render() { # grub_render STYLE(debian|el8) : grub.cfg on stdout from /etc/default/grub{,.d/*.cfg}
  # shellcheck disable=SC1090,SC1091
  (
    GRUB_CMDLINE_LINUX=""; GRUB_CMDLINE_LINUX_DEFAULT=""; GRUB_DISTRIBUTOR=Debian; GRUB_TIMEOUT=5; GRUB_DEFAULT=0
    GRUB_ENABLE_BLSCFG=false
    . "$ROOT/etc/default/grub"
    for _f in "$ROOT"/etc/default/grub.d/*.cfg; do [ -f "$_f" ] && . "$_f"; done
    _uuid=$(cat "$LAB_STATE/root-uuid" 2>/dev/null || echo 3f2a8c1e-6d4b-4e8a-9b1c-2d7e5f0a9c31)
    _dist=$GRUB_DISTRIBUTOR
    _k=$(lab_kernels | head -n 1); _k=${_k:-$KVER}
    _linux=linux; _initrd=initrd; _img=/initrd.img-$_k
    if el_profile; then _img=/initramfs-$_k.img; fi
    [ "$(profile)" = centos7 ] && { _linux=linux16; _initrd=initrd16; }
    cat <<EOT
#
# DO NOT EDIT THIS FILE
#
# It is automatically generated by grub-mkconfig using templates
# from /etc/grub.d and settings from /etc/default/grub
#

### BEGIN /etc/grub.d/00_header ###
set default="$GRUB_DEFAULT"
set timeout=$GRUB_TIMEOUT
### END /etc/grub.d/00_header ###

### BEGIN /etc/grub.d/10_linux ###
EOT
    if [ "$GRUB_ENABLE_BLSCFG" = true ]; then
      # EL 9: the entries live in /boot/loader/entries (grubby edits them); no linux line here.
      printf 'insmod blscfg\nblscfg\n### END /etc/grub.d/10_linux ###\n'
      exit 0
    fi
    cat <<EOT
menuentry '$_dist GNU/Linux' --class gnu-linux --class os \$menuentry_id_option 'gnulinux-simple-$_uuid' {
	insmod gzio
	insmod part_gpt
	insmod ext2
	search --no-floppy --fs-uuid --set=root $_uuid
	echo	'Loading Linux $_k ...'
	$_linux	/vmlinuz-$_k root=UUID=$_uuid ro $GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT
	echo	'Loading initial ramdisk ...'
	$_initrd	$_img
}
submenu 'Advanced options for $_dist GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-$_uuid' {
	menuentry '$_dist GNU/Linux, with Linux $_k (recovery mode)' --class gnu-linux --class os \$menuentry_id_option 'gnulinux-$_k-recovery-$_uuid' {
		search --no-floppy --fs-uuid --set=root $_uuid
		$_linux	/vmlinuz-$_k root=UUID=$_uuid ro recovery nomodeset $GRUB_CMDLINE_LINUX
		$_initrd	$_img
	}
}
### END /etc/grub.d/10_linux ###
EOT
  )
}

grub_next_cmdline() { # kernel command line the next boot gets: first linux line of grub.cfg, or the default BLS entry
  if uses_bls; then
    _e=$(bls_default_entry)
    [ -n "$_e" ] || return 0
    printf 'BOOT_IMAGE=(hd0,gpt2)%s %s\n' "$(bls_field "$_e" linux)" "$(bls_field "$_e" options)" | tr -s ' '
    return 0
  fi
  awk '$1 ~ /^linux(16|efi)?$/ { $1 = ""; sub(/^ +/, ""); print "BOOT_IMAGE=" $0; exit }' "$(grub_cfg)" | tr -s ' '
}

grub_next_kver() { # the kernel release the next boot starts (from the boot loader's default entry)
  grub_next_cmdline | sed -n 's|^BOOT_IMAGE=[^ ]*vmlinuz-\([^ ]*\).*|\1|p'
}

nvidia_write_modules() { # nvidia_write_modules DIR VERSION KVER : the driver's four module files, built for KVER
  mkdir -p "$1"
  for _m in nvidia nvidia-uvm nvidia-modeset nvidia-drm; do
    printf 'lab-fake-kernel-module\nversion=%s\nlicense=NVIDIA\ndescription=NVIDIA kernel module %s\nvermagic=%s SMP mod_unload modversions\n' \
      "$2" "$_m" "$3" >"$1/$_m.ko"
  done
}
