#!/usr/bin/env python3
"""Prints an Ansible YAML inventory for the lab with absolute key and known_hosts paths.

usage: inventory.py LAB_DIR   (reads LAB_DIR/inventory.yml written by bin/lab up)
"""
import os, re, sys

lab = os.path.abspath(sys.argv[1])
hosts = re.findall(r'^\s+(\S+): \{ansible_host: (\S+)\}', open(os.path.join(lab, 'inventory.yml')).read(), re.M)
print("all:")
print("  vars:")
print("    ansible_user: root")
print("    ansible_port: 2222")
print(f"    ansible_ssh_private_key_file: {lab}/id_ed25519")
print(f"    ansible_ssh_extra_args: -o UserKnownHostsFile={lab}/known_hosts")
print("  children:")
print("    hypervisors:")
print("      hosts:")
for name, addr in hosts:
    print(f"        {name}: {{ansible_host: {addr}}}")
