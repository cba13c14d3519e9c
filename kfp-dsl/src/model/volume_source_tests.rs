use super::*;
use crate::model::{DownwardApiFile, Projected};

#[test]
fn sources_are_checked() {
    let ok = [
        VolumeSource::host_path("/var/log", HostPathType::ExistingDirectory),
        VolumeSource::nfs("nfs.example.com", "/exports/data"),
        Csi::new("secrets-store.csi.k8s.io").attribute("secretProviderClass", "vault").into(),
        Projected::new()
            .secret_items("creds", [("token", "auth/token")])
            .service_account_token("sa/token", Some("vault"), Some(3600))
            .downward_api([DownwardApiFile::pod_field("labels", "metadata.labels['team']")])
            .into(),
        VolumeSource::DownwardApi(vec![DownwardApiFile::resource("mem", "limits.memory")]),
        EphemeralClaim::new("10Gi").storage_class("fast-ssd").access_mode("ReadWriteOnce").into(),
    ];
    for s in ok {
        assert_eq!(s.check(), Ok(()), "{s:?}");
    }
    let bad = [
        (VolumeSource::host_path("var/log", HostPathType::Any), "is not an absolute path"),
        (VolumeSource::host_path("/var/../etc", HostPathType::Any), "without `..`"),
        (VolumeSource::nfs("", "/x"), "NFS server is empty"),
        (VolumeSource::nfs("s", "x"), "NFS export path `x`"),
        (Csi::new("Bad Driver").into(), "not a valid CSI driver name"),
        (Projected::new().into(), "at least one source"),
        (Projected::new().secret_items("s", [("k", "../x")]).into(), "must be relative"),
        (Projected::new().secret_items("s", [("k", "/x")]).into(), "must be relative"),
        (Projected::new().service_account_token("t", None, Some(60)).into(), "at least 600 seconds"),
        (Projected::new().config_map_items("c", [("", "x")]).into(), "is empty"),
        (Projected::new().secret("s").default_mode(0o1777).into(), "file mode"),
        (VolumeSource::DownwardApi(vec![]), "at least one file"),
        (VolumeSource::DownwardApi(vec![DownwardApiFile::pod_field("x", "spec.nodeName")]), "not a pod field"),
        (VolumeSource::DownwardApi(vec![DownwardApiFile::resource("x", "limits.gpu")]), "not a container"),
        (VolumeSource::ephemeral("10 gigs"), "Kubernetes quantity"),
        (EphemeralClaim::new("1Gi").access_mode("Everyone").into(), "not an access mode"),
        (EphemeralClaim::new("1Gi").storage_class("Fast SSD").into(), "storage class"),
        (EphemeralClaim::new("1Gi").label("bad key", "x").into(), "label key"),
        (VolumeSource::EmptyDir(Some("Disk".into())), "emptyDir medium"),
    ];
    for (s, msg) in bad {
        let e = s.check().expect_err(msg);
        assert!(e.contains(msg), "{e} / {msg}");
    }
}
