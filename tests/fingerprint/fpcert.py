"""fpcert.py: a throw-away CA and a server certificate for fp.test (the
SNI the reference captures used), made with the openssl tool."""
import subprocess
from pathlib import Path


def make_cert(d, ca_name="curlium fingerprint CA"):
    """Writes ca.pem, fp.pem and fp.key (EC P-256, valid two days) into the
    directory |d|; returns their paths (ca, cert, key). Raises
    subprocess.CalledProcessError with openssl's output when it fails."""
    d = Path(d)

    def ossl(*args):
        subprocess.run(["openssl", *map(str, args)], check=True,
                       capture_output=True, timeout=60)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    ossl("req", "-x509", *ec, "-keyout", d / "ca.key", "-out", d / "ca.pem",
         "-days", "2", "-subj", f"/CN={ca_name}")
    ossl("req", *ec, "-keyout", d / "fp.key", "-out", d / "fp.csr",
         "-subj", "/CN=fp.test")
    (d / "ext.cnf").write_text("subjectAltName=DNS:fp.test\n")
    ossl("x509", "-req", "-in", d / "fp.csr", "-CA", d / "ca.pem",
         "-CAkey", d / "ca.key", "-CAcreateserial", "-out", d / "fp.pem",
         "-days", "2", "-extfile", d / "ext.cnf")
    return d / "ca.pem", d / "fp.pem", d / "fp.key"
