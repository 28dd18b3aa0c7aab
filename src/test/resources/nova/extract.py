#!/usr/bin/env python3
# Extracts, from nova's source at each release tag plumb supports, the default scheduler filters,
# the filter classes and the PCI/filter option names each release reads into releases.json.
#   python3 extract.py <path to a clone of openstack/nova>
import ast, subprocess, json, sys
import os
REPO=sys.argv[1]  # a clone of openstack/nova with its tags
TAGS=[("havana","2013.2"),("icehouse","2014.1"),("juno","2014.2"),("kilo","2015.1.0"),("liberty","12.0.0"),
("mitaka","13.0.0"),("newton","14.0.0"),("ocata","15.0.0"),("pike","16.0.0"),("queens","17.0.0"),("rocky","18.0.0"),
("stein","19.0.0"),("train","20.0.0"),("ussuri","21.0.0"),("victoria","22.0.0"),("wallaby","23.0.0"),("xena","24.0.0"),
("yoga","25.0.0"),("zed","26.0.0"),("antelope","27.0.0"),("bobcat","28.0.0"),("caracal","29.0.0"),("dalmatian","30.0.0"),
("epoxy","31.0.0"),("flamingo","32.0.0"),("gazpacho","33.0.0")]
def show(tag,path):
    r=subprocess.run(["git","-C",REPO,"show",f"{tag}:{path}"],capture_output=True,text=True)
    return r.stdout if r.returncode==0 else None
def ls(tag,path):
    r=subprocess.run(["git","-C",REPO,"ls-tree","--name-only",f"{tag}:{path}"],capture_output=True,text=True)
    return r.stdout.split()
def strlist(node):
    return [e.value if isinstance(e,ast.Constant) else e.s for e in node.elts]
def filteropts(src):
    out=[]
    for node in ast.walk(ast.parse(src)):
        if isinstance(node,ast.Call) and getattr(node.func,'attr','')=='ListOpt' and node.args:
            a=node.args[0]; name=a.value if isinstance(a,ast.Constant) else getattr(a,'s',None)
            if name in ("scheduler_default_filters","enabled_filters"):
                kw={k.arg:k.value for k in node.keywords}
                d=strlist(kw['default'])
                dep={k:(kw[k].value if isinstance(kw[k],ast.Constant) else kw[k].s) for k in ("deprecated_name","deprecated_group") if k in kw}
                depopts=None
                if 'deprecated_opts' in kw: depopts=ast.dump(kw['deprecated_opts'])
                out.append(dict(name=name,default=d,dep=dep,depopts=depopts))
    return out
def classes(tag):
    defs={}
    for f in ls(tag,"nova/scheduler/filters"):
        if not f.endswith(".py"): continue
        src=show(tag,"nova/scheduler/filters/"+f)
        for node in ast.parse(src).body:
            if isinstance(node,ast.ClassDef):
                bases=[b.attr if isinstance(b,ast.Attribute) else getattr(b,'id','') for b in node.bases]
                defs[node.name]=bases
    ok={"BaseHostFilter"}
    changed=True
    while changed:
        changed=False
        for n,b in defs.items():
            if n not in ok and any(x in ok for x in b):
                ok.add(n); changed=True
    return sorted(n for n in ok if n in defs and not n.startswith('_'))
res=[]
for name,tag in TAGS:
    src=show(tag,"nova/conf/scheduler.py") or show(tag,"nova/scheduler/host_manager.py")
    res.append(dict(release=name,tag=tag,opts=filteropts(src),classes=classes(tag)))

def pci_reads(tag, out):
    src = show(tag, "nova/conf/pci.py")
    grp_default = True
    if src is None:
        for p in ["nova/pci/request.py", "nova/pci/pci_request.py", "nova/pci/whitelist.py", "nova/pci/pci_whitelist.py"]:
            s = show(tag, p)
            if s: src = (src or "") + "\n" + s
    ingroup = "pci_group" in src
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Call) and getattr(node.func, 'attr', '') in ('MultiStrOpt', 'ListOpt', 'StrOpt') and node.args:
            n = ast.literal_eval(node.args[0])
            if not ('alias' in n or 'whitelist' in n or 'device_spec' in n): continue
            out.add(("pci" if ingroup else "DEFAULT") + "/" + n)
            kw = {k.arg: k.value for k in node.keywords}
            if 'deprecated_name' in kw:
                out.add(ast.literal_eval(kw['deprecated_group']) + "/" + ast.literal_eval(kw['deprecated_name']))
            if 'deprecated_opts' in kw:
                for e in kw['deprecated_opts'].elts:
                    g = [k for k in e.keywords if k.arg == 'group']
                    out.add(ast.literal_eval(g[0].value) + "/" + ast.literal_eval(e.args[0]))

# Options read, from the registration found above (groups checked by hand at 13.0.0, 14.0.0, 15.0.0:
# register_opts(default_opts) / register_opts(pci_opts) without a group before 15.0.0).
def reads(name, tag, opts):
    out=set()
    ocata = [n for n,_ in TAGS].index(name) >= [n for n,_ in TAGS].index("ocata")
    for o in opts:
        grp = "filter_scheduler" if o["name"]=="enabled_filters" else "DEFAULT"
        out.add(grp+"/"+o["name"])
        if o["dep"]: out.add(o["dep"]["deprecated_group"]+"/"+o["dep"]["deprecated_name"])
    pci_reads(tag, out)
    return sorted(out)
data=[]
for x in res:
    data.append({"release":x["release"],"tag":x["tag"],"default_filters":x["opts"][0]["default"],
      "filter_classes":[c for c in x["classes"] if not c.startswith("Base")],"options_read":reads(x["release"],x["tag"],x["opts"])})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "releases.json"), "w") as f:
    f.write('{"source": "nova (github.com/openstack/nova) at each release tag: nova/conf/scheduler.py (nova/scheduler/host_manager.py before 13.0.0), nova/conf/pci.py (nova/pci/request.py, pci_request.py before 13.0.0), nova/scheduler/filters/*.py (subclasses of BaseHostFilter, Base* left out); made by extract.py next to this file",\n "releases": [\n')
    f.write(",\n".join("  "+json.dumps(d) for d in data))
    f.write("\n]}\n")

# The lab's fake nova reads the same table (lab/host/lib/nova-releases): one line per release,
# "<release> <tag> <options read, comma-separated> <filter classes, comma-separated>".
lab = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "lab", "host", "lib", "nova-releases")
with open(lab, "w") as f:
    f.write("# made by src/test/resources/nova/extract.py from nova's source at each tag: release tag options classes\n")
    for d in data:
        f.write("%s %s %s %s\n" % (d["release"], d["tag"], ",".join(d["options_read"]), ",".join(d["filter_classes"])))
