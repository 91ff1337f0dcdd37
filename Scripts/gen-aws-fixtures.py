#!/usr/bin/env python3
"""Generate realistic `aws ec2 describe-*` / `aws elbv2 describe-*` JSON fixtures.

Usage:  python3 Scripts/gen-aws-fixtures.py   (needs: pip install moto boto3)

Builds three small AWS networks in-process with moto (no AWS account, no network
access), dumps one JSON file per describe call exactly as `aws <svc> <call>`
prints it (indent 4, ISO datetimes, no ResponseMetadata) and then repairs the
places where moto's answer differs from what real AWS prints for the same
network.  Every repair is a small function below whose comment names what moto
gets wrong, what AWS prints instead, and where that is documented.

Output (overwritten on every run, byte-identical between runs):
    Fixtures/aws/public-private-nat/*.json
    Fixtures/aws/endpoints/*.json
    Fixtures/aws/peered/*.json
    Fixtures/aws/layouts/accounts/111122223333/us-east-1/*.json   (copy of endpoints)
    Fixtures/aws/README.md                                        (facts use the final ids)

Determinism: moto draws every id, MAC and address from one random generator,
which we seed before building each network; timestamps are replaced by fixed
ones; boto3's random ClientTokens are passed explicitly.  Ids therefore depend
on this script and on the moto version (written for moto 5.2.x): re-running with
the same moto gives identical files.
"""

import copy
import datetime
import hashlib
import ipaddress
import json
import os
import re
import shutil
import sys
import uuid
from pathlib import Path

ACCOUNT = "111122223333"
REGION = "us-east-1"

# moto reads MOTO_ACCOUNT_ID on every request; boto3 needs some credentials and a region.
# These are fake values for the in-process mock, never real credentials.
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SECURITY_TOKEN"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = REGION
os.environ["AWS_REGION"] = REGION
os.environ["MOTO_ACCOUNT_ID"] = ACCOUNT
for _v in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(_v, None)

import boto3  # noqa: E402
import botocore.session  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.moto_api._internal import mock_random  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Fixtures" / "aws"
SEED = 20240514

# Fixed clock: moto stamps resources with the wall clock; AWS would print the real
# creation time. Every timestamp of a network is replaced by one fixed instant
# (2024-05-14, -15, -16 09:30 UTC) so the files do not change between runs.
BASE_TIME = datetime.datetime(2024, 5, 14, 9, 30, 0, tzinfo=datetime.timezone.utc)

# ---------------------------------------------------------------------------
# Real AWS-managed prefix lists for us-east-1.
#
# moto invents random pl- ids (pl-<17 hex>) and ships only 3 S3 / 4 DynamoDB CIDRs;
# AWS prints the fixed ids pl-63a5400a (S3) and pl-02cd2c6b (DynamoDB).
#   ids: https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-prefix-lists.html
#        (example output: com.amazonaws.us-east-1.s3 -> pl-63a5400a); pl-02cd2c6b for
#        com.amazonaws.us-east-1.dynamodb in the same live listing as the CIDRs below.
#        List names: https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html
#   CIDRs: a live `gc l -t ManagedPrefixList` listing of us-east-1 (PrefixListId, OwnerId "AWS",
#        ARN arn:aws:ec2:us-east-1:aws:prefix-list/…, Entries) in the grucloud docs
#        (github.com/grucloud/grucloud, docs/aws/resources/EC2/ManagedPrefixList;
#        pl-63a5400a: 18.34.0.0/19 18.34.232.0/21 3.5.0.0/19 52.216.0.0/15 54.231.0.0/16;
#        pl-02cd2c6b: 3.218.180.0/23 3.218.182.0/24 35.71.68.0/23 35.71.70.0/24
#        52.119.224.0/20 52.94.0.0/22) plus 16.182.0.0/16, which a later terraform plan of
#        a real us-east-1 S3 gateway endpoint (aws_vpc_endpoint.cidr_blocks) also lists.
#   AWS returns the entries in string order of the CIDR, as in that listing.
# ---------------------------------------------------------------------------
PREFIX_LISTS = {
    "s3": ("pl-63a5400a", f"com.amazonaws.{REGION}.s3", sorted([
        "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21", "3.5.0.0/19",
        "52.216.0.0/15", "54.231.0.0/16"])),
    "dynamodb": ("pl-02cd2c6b", f"com.amazonaws.{REGION}.dynamodb", sorted([
        "3.218.180.0/23", "3.218.182.0/24", "35.71.68.0/23", "35.71.70.0/24",
        "52.119.224.0/20", "52.94.0.0/22"])),
}

# Hosted zone of *.vpce.amazonaws.com names in us-east-1, as printed in the AWS CLI
# describe-vpc-endpoints example (https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-endpoints.html).
VPCE_HOSTED_ZONE = "Z7HUB22UULQXV"
# Hosted zone id of Application Load Balancers in us-east-1
# (https://docs.aws.amazon.com/general/latest/gr/elb.html). moto prints "Z2P70J7EXAMPLE".
ALB_HOSTED_ZONE = "Z35SXDOTRQ7X7K"
# RequesterId AWS prints on interface-endpoint ENIs (example in
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html).
VPCE_REQUESTER_ID = "727180483921"
# RequesterId of the NAT gateway service: an AWS-owned account, never ours. moto cannot know it;
# the value is the one printed on a NAT ENI in a captured describe-network-interfaces (a public
# test fixture, eu-central-1). The per-region value is not documented.
NAT_REQUESTER_ID = "128792236543"


# ===========================================================================
# small helpers
# ===========================================================================

def h(*parts, n=16):
    """Deterministic hex string from a name (for things moto cannot create)."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


def dns_internal(ip):
    # AWS: private DNS names in us-east-1 are ip-a-b-c-d.ec2.internal
    return "ip-" + ip.replace(".", "-") + ".ec2.internal"


def dns_public(ip):
    # AWS: public DNS names in us-east-1 are ec2-a-b-c-d.compute-1.amazonaws.com
    return "ec2-" + ip.replace(".", "-") + ".compute-1.amazonaws.com"


def mac_for(eni_id):
    # moto gives every ENI a MAC under the fixed prefix 02:00:00; AWS MACs are random
    # locally-administered unicast addresses (e.g. 0a:e5:8a:82:fd:24, 02:2f:8f:b0:cf:75 in
    # https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-network-interfaces.html).
    b = bytes.fromhex(h("mac", eni_id, n=12))
    first = 0x02 | ((b[0] & 0x07) << 2)  # 02, 06, 0a, 0e, 12, 16, 1a, 1e like AWS
    return ":".join(f"{x:02x}" for x in (first,) + tuple(b[1:]))


def strip_meta(resp):
    resp = dict(resp)
    resp.pop("ResponseMetadata", None)
    resp.pop("NextToken", None)
    return resp


def vpc_filter(vpc_ids):
    return [{"Name": "vpc-id", "Values": list(vpc_ids)}]


def by_id(items, key):
    return {x[key]: x for x in items}


# ===========================================================================
# Key order and key validation from the botocore output shapes
# ===========================================================================
# boto3 parses responses into dicts in the order of the service model's members,
# which is the order `aws` prints. Keys we add in the fixes are re-slotted into that
# order here, and any key that is not a real member of the output shape aborts the
# run (so a typo can never leak into a fixture).

_BOTO = botocore.session.get_session()
_MODELS = {s: _BOTO.get_service_model(s) for s in ("ec2", "elbv2")}


def order_by_shape(value, shape, path):
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            raise SystemExit(f"{path}: expected object")
        extra = set(value) - set(shape.members)
        if extra:
            raise SystemExit(f"{path}: keys not in the AWS output shape {shape.name}: {sorted(extra)}")
        return {k: order_by_shape(value[k], m, f"{path}.{k}") for k, m in shape.members.items() if k in value}
    if t == "list":
        return [order_by_shape(v, shape.member, f"{path}[{i}]") for i, v in enumerate(value)]
    if t == "map":
        return {k: order_by_shape(v, shape.value, f"{path}.{k}") for k, v in value.items()}
    return value


# ===========================================================================
# JSON output exactly as the AWS CLI prints it
# ===========================================================================

def cli_default(o):
    # AWS CLI v2 prints timestamps with datetime.isoformat() (e.g. 2024-05-14T09:30:00+00:00).
    if isinstance(o, datetime.datetime):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {o!r}")


def cli_json(obj):
    # awscli's JSON formatter: json.dump(indent=4, ensure_ascii=False) + trailing newline.
    return json.dumps(obj, indent=4, ensure_ascii=False, default=cli_default) + "\n"


# ===========================================================================
# Post-processing shared by all networks
# ===========================================================================

# moto's long ids are 17 random hex digits (vpc-9a21b6f9d11b94b2d); AWS's current-format
# ids always begin with 0 (vpc-0e1bfdbc090daa61a, i-0598c7d356eba48d7, eni-0d11e3ccd2c0e6c57,
# nat-05dba92075d71c408 in the AWS CLI examples). We force the first digit to 0.
ID_RE = re.compile(
    r"\b(vpc-cidr-assoc|eni-attach|ela-attach|rtbassoc|aclassoc|eipalloc|eipassoc|subnet|vpce|"
    r"vpc|rtb|acl|sgr|sg|igw|nat|eni|pcx|vol|dopt|i|r)-([0-9a-f]{17})\b")


def normalise_ids(text):
    seen = {}

    def sub(m):
        new = f"{m.group(1)}-0{m.group(2)[1:]}"
        old = seen.setdefault(new, m.group(0))
        if old != m.group(0):
            raise SystemExit(f"id collision after normalisation: {old} / {m.group(0)}")
        return new
    return ID_RE.sub(sub, text)


def fix_times(obj, stamp):
    """moto stamps everything with the wall clock; replace every datetime by a fixed one."""
    if isinstance(obj, dict):
        return {k: fix_times(v, stamp) for k, v in obj.items()}
    if isinstance(obj, list):
        return [fix_times(v, stamp) for v in obj]
    if isinstance(obj, datetime.datetime):
        return stamp
    return obj


def fix_vpcs(vpcs):
    # moto prints DhcpOptionsId "default" (= no DHCP options). A VPC created in a real
    # account is associated with the region's default DHCP options set, so AWS prints
    # its dopt- id: https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSet.html
    for v in vpcs["Vpcs"]:
        if v.get("DhcpOptionsId") == "default":
            v["DhcpOptionsId"] = "dopt-" + h(ACCOUNT, REGION, "default-dopt", n=8)


def fix_default_sg(sgs):
    # moto creates each VPC's default security group with no inbound rule. AWS's default
    # group allows all inbound traffic from members of the same group (a self reference):
    # https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
    for g in sgs["SecurityGroups"]:
        if g["GroupName"] == "default" and not g["IpPermissions"]:
            g["IpPermissions"] = [{
                "IpProtocol": "-1",
                "UserIdGroupPairs": [{"UserId": ACCOUNT, "GroupId": g["GroupId"]}],
                "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": []}]


def fix_route_tables(rts):
    # moto omits PropagatingVgws; AWS prints "PropagatingVgws": [] on every route table
    # (example: https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-route-tables.html).
    for rt in rts["RouteTables"]:
        rt.setdefault("PropagatingVgws", [])


def fix_nacls(nacls):
    # moto creates a custom network ACL with no entries at all. AWS always adds the two
    # catch-all deny rules (*, number 32767) to every ACL, inbound and outbound:
    # https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html
    # AWS lists the outbound entries first, each direction by rule number (see the example
    # in https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-network-acls.html).
    for acl in nacls["NetworkAcls"]:
        for egress in (True, False):
            if not any(e["RuleNumber"] == 32767 and e["Egress"] == egress for e in acl["Entries"]):
                acl["Entries"].append({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1",
                                       "RuleAction": "deny", "RuleNumber": 32767})
        acl["Entries"].sort(key=lambda e: (not e["Egress"], e["RuleNumber"]))


def fix_user_enis(enis):
    # moto prints RequesterId "AIDAIT2UOQQY3AUEMOTO" (its fake IAM user) on every ENI. AWS
    # prints a RequesterId only on requester-managed interfaces (those an AWS service created);
    # ENIs of instances carry none (https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-network-interfaces.html).
    for e in enis["NetworkInterfaces"]:
        if not e.get("RequesterManaged"):
            e.pop("RequesterId", None)


def fix_eni_common(enis):
    # moto prints neither PrivateDnsName nor per-address PrivateDnsName; AWS prints both
    # (ip-10-0-1-17.ec2.internal in the describe-network-interfaces example). MACs: see mac_for.
    for e in enis["NetworkInterfaces"]:
        e["PrivateDnsName"] = dns_internal(e["PrivateIpAddress"])
        for p in e["PrivateIpAddresses"]:
            p["PrivateDnsName"] = dns_internal(p["PrivateIpAddress"])
        e["MacAddress"] = mac_for(e["NetworkInterfaceId"])


def set_eni_ip(eni, ip, assoc=None):
    eni["PrivateIpAddress"] = ip
    p = {"Primary": True, "PrivateIpAddress": ip}
    if assoc is not None:
        eni["Association"] = copy.deepcopy(assoc)
        p["Association"] = copy.deepcopy(assoc)
    else:
        eni.pop("Association", None)
    eni["PrivateIpAddresses"] = [p]


def service_attachment(eni_id):
    # ENIs of NAT gateways, interface endpoints, ALBs and Lambda (Hyperplane ENIs) are
    # "attached" by the service: AWS prints an ela-attach- id, DeviceIndex 1,
    # DeleteOnTermination false and an AWS-owned InstanceOwnerId. moto prints no Attachment
    # and Status "available" for them.
    return {"AttachmentId": "ela-attach-0" + h("attach", eni_id, n=16),
            "DeleteOnTermination": False, "DeviceIndex": 1, "InstanceOwnerId": "amazon-aws",
            "Status": "attached"}


def fix_instance_enis(reservations, enis):
    # moto: the primary ENI of an instance has DeleteOnTermination false; AWS sets it to true
    # for the primary interface it creates at launch
    # (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html, "Primary network interface").
    # moto: auto-assigned public IPv4 addresses are printed with IpOwnerId = the account and
    # PublicDnsName ip-…ec2.internal; AWS prints IpOwnerId "amazon" and ec2-…compute-1.amazonaws.com
    # for an address from Amazon's pool (describe-network-interfaces example, eni-f9ba99bf).
    # moto prints StateReason {"Code": "", "Message": ""} on running instances (AWS prints no
    # StateReason for an instance that is running) and HibernationOptions {} (AWS: {"Configured": false}).
    # moto also leaves the public address out of PrivateIpAddresses[].Association in
    # describe-network-interfaces (describe-instances has it); AWS prints it in both places.
    eni_by_id = by_id(enis["NetworkInterfaces"], "NetworkInterfaceId")
    for e in enis["NetworkInterfaces"]:
        if e.get("Association"):
            for p in e["PrivateIpAddresses"]:
                if p["Primary"] and "Association" not in p:
                    p["Association"] = copy.deepcopy(e["Association"])
    # moto prints "Association": {} on instance interfaces without a public address (AWS prints
    # no Association) and names the root volume /dev/sda1 while RootDeviceName is /dev/xvda
    # (AWS: the BlockDeviceMappings entry of the root volume carries RootDeviceName).
    for r in reservations["Reservations"]:
        for inst in r["Instances"]:
            for bdm in inst.get("BlockDeviceMappings", [])[:1]:
                bdm["DeviceName"] = inst["RootDeviceName"]
            for ni in inst["NetworkInterfaces"]:
                if ni.get("Association") == {}:
                    del ni["Association"]
            inst.pop("StateReason", None)
            inst["HibernationOptions"] = {"Configured": False}
            for ni in inst["NetworkInterfaces"]:
                ni["Attachment"]["DeleteOnTermination"] = True
                for container in [ni] + ni["PrivateIpAddresses"] + [eni_by_id[ni["NetworkInterfaceId"]]] \
                        + eni_by_id[ni["NetworkInterfaceId"]]["PrivateIpAddresses"]:
                    a = container.get("Association")
                    if a and "AllocationId" not in a:
                        a["IpOwnerId"] = "amazon"
                        a["PublicDnsName"] = dns_public(a["PublicIp"])
                ni["PrivateDnsName"] = dns_internal(ni["PrivateIpAddress"])
                for p in ni["PrivateIpAddresses"]:
                    p["PrivateDnsName"] = dns_internal(p["PrivateIpAddress"])
                ni["MacAddress"] = mac_for(ni["NetworkInterfaceId"])
                eni_by_id[ni["NetworkInterfaceId"]]["Attachment"]["DeleteOnTermination"] = True
            # moto omits PublicDnsName when the instance has no public address; AWS prints
            # "PublicDnsName": "" (https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-instances.html).
            inst["PublicDnsName"] = dns_public(inst["PublicIpAddress"]) if inst.get("PublicIpAddress") else ""
            # moto omits the billing fields AWS prints for every instance; for a Linux AMI launched
            # with RunInstances they are "Linux/UNIX" / "RunInstances"
            # (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/billing-info-fields.html).
            inst["PlatformDetails"] = "Linux/UNIX"
            inst["UsageOperation"] = "RunInstances"
            inst["UsageOperationUpdateTime"] = inst["LaunchTime"]


def fix_public_ips(outputs, mapping):
    # moto hands out Elastic IPs from 127.0.0.0/8 (moto/ec2/utils.py random_ip()) - loopback,
    # which AWS never allocates - and auto-assigned public IPs from 54.214.0.0/16. We replace
    # them by fixed addresses from us-east-1 EC2 ranges so tests can cite them. Done textually
    # so every occurrence (ENI, address, instance, NAT) stays consistent.
    text = json.dumps(outputs, default=cli_default)
    for old, new in mapping.items():
        text = re.sub(r"(?<![\d.])" + re.escape(old) + r"(?![\d])", new, text)
        text = text.replace(old.replace(".", "-"), new.replace(".", "-"))
    return json.loads(text)


def fix_subnet_counts(subnets, enis):
    # moto decrements AvailableIpAddressCount only for the ENIs it placed itself (its NAT and
    # endpoint ENIs land outside the subnet). AWS: size - 5 reserved - addresses in use
    # (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
    for s in subnets["Subnets"]:
        net = ipaddress.ip_network(s["CidrBlock"])
        used = sum(len(e["PrivateIpAddresses"]) for e in enis["NetworkInterfaces"] if e["SubnetId"] == s["SubnetId"])
        s["AvailableIpAddressCount"] = net.num_addresses - 5 - used


def check_enis_in_subnets(subnets, enis):
    cidr = {s["SubnetId"]: ipaddress.ip_network(s["CidrBlock"]) for s in subnets["Subnets"]}
    seen = set()
    for e in enis["NetworkInterfaces"]:
        for p in e["PrivateIpAddresses"]:
            ip = ipaddress.ip_address(p["PrivateIpAddress"])
            if ip not in cidr[e["SubnetId"]]:
                raise SystemExit(f"{e['NetworkInterfaceId']}: {ip} outside {cidr[e['SubnetId']]}")
            if list(cidr[e["SubnetId"]]).index(ip) < 4 or ip == cidr[e["SubnetId"]].broadcast_address:
                raise SystemExit(f"{e['NetworkInterfaceId']}: {ip} is an AWS-reserved address")
            if ip in seen:
                raise SystemExit(f"duplicate private IP {ip}")
            seen.add(ip)


# ===========================================================================
# Collecting raw describe output from moto
# ===========================================================================

EC2_CALLS = [
    # (file name, boto3 method, top-level key, id key used for sorting)
    ("describe-vpcs", "describe_vpcs", "Vpcs", "VpcId"),
    ("describe-subnets", "describe_subnets", "Subnets", "SubnetId"),
    ("describe-route-tables", "describe_route_tables", "RouteTables", "RouteTableId"),
    ("describe-security-groups", "describe_security_groups", "SecurityGroups", "GroupId"),
    ("describe-network-acls", "describe_network_acls", "NetworkAcls", "NetworkAclId"),
    ("describe-network-interfaces", "describe_network_interfaces", "NetworkInterfaces", "NetworkInterfaceId"),
    ("describe-internet-gateways", "describe_internet_gateways", "InternetGateways", "InternetGatewayId"),
    ("describe-nat-gateways", "describe_nat_gateways", "NatGateways", "NatGatewayId"),
    ("describe-vpc-endpoints", "describe_vpc_endpoints", "VpcEndpoints", "VpcEndpointId"),
    ("describe-vpc-peering-connections", "describe_vpc_peering_connections", "VpcPeeringConnections",
     "VpcPeeringConnectionId"),
    ("describe-addresses", "describe_addresses", "Addresses", "AllocationId"),
    ("describe-instances", "describe_instances", "Reservations", "ReservationId"),
]

OPERATION = {
    "describe-vpcs": ("ec2", "DescribeVpcs"),
    "describe-subnets": ("ec2", "DescribeSubnets"),
    "describe-route-tables": ("ec2", "DescribeRouteTables"),
    "describe-security-groups": ("ec2", "DescribeSecurityGroups"),
    "describe-network-acls": ("ec2", "DescribeNetworkAcls"),
    "describe-network-interfaces": ("ec2", "DescribeNetworkInterfaces"),
    "describe-internet-gateways": ("ec2", "DescribeInternetGateways"),
    "describe-nat-gateways": ("ec2", "DescribeNatGateways"),
    "describe-vpc-endpoints": ("ec2", "DescribeVpcEndpoints"),
    "describe-vpc-peering-connections": ("ec2", "DescribeVpcPeeringConnections"),
    "describe-addresses": ("ec2", "DescribeAddresses"),
    "describe-instances": ("ec2", "DescribeInstances"),
    "describe-prefix-lists": ("ec2", "DescribePrefixLists"),
    "describe-managed-prefix-lists": ("ec2", "DescribeManagedPrefixLists"),
    "get-managed-prefix-list-entries": ("ec2", "GetManagedPrefixListEntries"),
    "describe-load-balancers": ("elbv2", "DescribeLoadBalancers"),
    "describe-target-groups": ("elbv2", "DescribeTargetGroups"),
    "describe-listeners": ("elbv2", "DescribeListeners"),
    "describe-target-health": ("elbv2", "DescribeTargetHealth"),
}


def collect_ec2(ec2, vpc_ids):
    """Run the describe calls. moto pre-creates the region's default VPC (172.31.0.0/16); the
    fixtures describe only the network's own VPCs, as `--filters Name=vpc-id,Values=…` would
    (equivalently: an account whose default VPC was deleted)."""
    f = vpc_filter(vpc_ids)
    out = {}
    out["describe-vpcs"] = ec2.describe_vpcs(VpcIds=list(vpc_ids))
    out["describe-subnets"] = ec2.describe_subnets(Filters=f)
    out["describe-route-tables"] = ec2.describe_route_tables(Filters=f)
    out["describe-security-groups"] = ec2.describe_security_groups(Filters=f)
    out["describe-network-acls"] = ec2.describe_network_acls(Filters=f)
    out["describe-network-interfaces"] = ec2.describe_network_interfaces(Filters=f)
    out["describe-internet-gateways"] = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": list(vpc_ids)}])
    out["describe-nat-gateways"] = ec2.describe_nat_gateways(Filters=f)
    out["describe-vpc-endpoints"] = ec2.describe_vpc_endpoints(Filters=f)
    out["describe-vpc-peering-connections"] = ec2.describe_vpc_peering_connections()
    out["describe-addresses"] = ec2.describe_addresses()
    out["describe-instances"] = ec2.describe_instances(Filters=f)
    return {k: strip_meta(v) for k, v in out.items()}


def finish(outputs):
    """Order keys like the CLI, sort top-level lists by id, normalise ids."""
    sort_keys = {name: (key, idk) for name, _, key, idk in EC2_CALLS}
    for name, resp in outputs.items():
        if name in sort_keys:
            key, idk = sort_keys[name]
            resp[key].sort(key=lambda x: x[idk])
    text = normalise_ids(json.dumps(outputs, default=cli_default))
    outputs = json.loads(text)
    final = {}
    for name, resp in outputs.items():
        svc, op = OPERATION[name.split("@")[0]]
        shape = _MODELS[svc].operation_model(op).output_shape
        final[name] = order_by_shape(resp, shape, name)
    # re-sort after normalisation changed the ids' first digit
    for name, resp in final.items():
        if name in sort_keys:
            key, idk = sort_keys[name]
            resp[key].sort(key=lambda x: x[idk])
    return final


def tag(name):
    return [{"Key": "Name", "Value": name}]


def tagspec(kind, name):
    return [{"ResourceType": kind, "Tags": tag(name)}]


def linux_ami(ec2):
    # moto's AMI catalogue mixes Windows and Linux images; pick Amazon Linux HVM so the
    # instances print no "Platform": "windows".
    imgs = ec2.describe_images(Owners=["amazon"])["Images"]
    return sorted(i["ImageId"] for i in imgs if i.get("Name", "").startswith("amzn-ami-hvm"))[0]


# ===========================================================================
# Network 1: public-private-nat
# ===========================================================================

def build_public_private_nat():
    F = {}  # facts (logical name -> moto id / value)
    with mock_aws():
        mock_random.seed(SEED)
        ec2 = boto3.client("ec2", region_name=REGION)
        elb = boto3.client("elbv2", region_name=REGION)
        ami = linux_ami(ec2)

        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tagspec("vpc", "ppn-vpc"))["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        sub = {}
        for name, cidr, az in (("public-a", "10.0.1.0/24", "us-east-1a"),
                               ("private-a", "10.0.2.0/24", "us-east-1a"),
                               ("public-b", "10.0.3.0/24", "us-east-1b")):
            sub[name] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az,
                                          TagSpecifications=tagspec("subnet", f"ppn-{name}"))["Subnet"]["SubnetId"]
        for name in ("public-a", "public-b"):
            ec2.modify_subnet_attribute(SubnetId=sub[name], MapPublicIpOnLaunch={"Value": True})

        igw = ec2.create_internet_gateway(TagSpecifications=tagspec("internet-gateway", "ppn-igw"))[
            "InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)

        eip = ec2.allocate_address(Domain="vpc", TagSpecifications=tagspec("elastic-ip", "ppn-nat-eip"))
        nat = ec2.create_nat_gateway(SubnetId=sub["public-a"], AllocationId=eip["AllocationId"],
                                     ConnectivityType="public", ClientToken="ppn-nat",
                                     TagSpecifications=tagspec("natgateway", "ppn-nat"))["NatGateway"]["NatGatewayId"]

        rt_pub = ec2.create_route_table(VpcId=vpc, TagSpecifications=tagspec("route-table", "ppn-public-rt"))[
            "RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=rt_pub, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        rt_priv = ec2.create_route_table(VpcId=vpc, TagSpecifications=tagspec("route-table", "ppn-private-rt"))[
            "RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=rt_priv, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
        ec2.associate_route_table(RouteTableId=rt_pub, SubnetId=sub["public-a"])
        ec2.associate_route_table(RouteTableId=rt_pub, SubnetId=sub["public-b"])
        ec2.associate_route_table(RouteTableId=rt_priv, SubnetId=sub["private-a"])

        sg_alb = ec2.create_security_group(GroupName="ppn-alb", Description="ALB: HTTP from anywhere", VpcId=vpc,
                                           TagSpecifications=tagspec("security-group", "ppn-alb"))["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg_alb, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        sg_priv = ec2.create_security_group(GroupName="ppn-private-app", Description="private app: ssh from VPC, 8080 from ALB",
                                            VpcId=vpc, TagSpecifications=tagspec("security-group", "ppn-private-app"))["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg_priv, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]},
            {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": sg_alb}]}])
        sg_pub = ec2.create_security_group(GroupName="ppn-public-web", Description="public web: 80/443 from anywhere, ssh from admin",
                                           VpcId=vpc, TagSpecifications=tagspec("security-group", "ppn-public-web"))["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg_pub, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "203.0.113.10/32", "Description": "admin workstation"}]}])

        # Custom NACL on the private subnet: in 1024-65535/tcp from anywhere, everything from the VPC;
        # out everything.
        acl = ec2.create_network_acl(VpcId=vpc, TagSpecifications=tagspec("network-acl", "ppn-private-nacl"))[
            "NetworkAcl"]["NetworkAclId"]
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow",
                                     Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": 1024, "To": 65535})
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=200, Protocol="-1", RuleAction="allow",
                                     Egress=False, CidrBlock="10.0.0.0/16")
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="-1", RuleAction="allow",
                                     Egress=True, CidrBlock="0.0.0.0/0")
        cur = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [sub["private-a"]]}])
        assoc = [a for n in cur["NetworkAcls"] for a in n["Associations"] if a["SubnetId"] == sub["private-a"]][0]
        ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"], NetworkAclId=acl)

        i_priv = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                   SubnetId=sub["private-a"], SecurityGroupIds=[sg_priv], PrivateIpAddress="10.0.2.10",
                                   ClientToken="ppn-private-app",
                                   TagSpecifications=tagspec("instance", "ppn-private-app"))["Instances"][0]["InstanceId"]
        i_pub = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                  SubnetId=sub["public-a"], SecurityGroupIds=[sg_pub], PrivateIpAddress="10.0.1.20",
                                  ClientToken="ppn-public-web",
                                  TagSpecifications=tagspec("instance", "ppn-public-web"))["Instances"][0]["InstanceId"]

        lb = elb.create_load_balancer(Name="ppn-web-alb", Subnets=[sub["public-a"], sub["public-b"]],
                                      SecurityGroups=[sg_alb], Scheme="internet-facing", Type="application",
                                      IpAddressType="ipv4")["LoadBalancers"][0]
        tg = elb.create_target_group(Name="ppn-app-8080", Protocol="HTTP", Port=8080, VpcId=vpc,
                                     TargetType="instance", HealthCheckPath="/health")["TargetGroups"][0]
        elb.register_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": i_priv, "Port": 8080}])
        elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])

        out = collect_ec2(ec2, [vpc])
        out["describe-load-balancers"] = strip_meta(elb.describe_load_balancers())
        out["describe-target-groups"] = strip_meta(elb.describe_target_groups())
        out["describe-listeners"] = strip_meta(elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"]))
        out["describe-target-health"] = strip_meta(elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"]))

        F.update(vpc=vpc, sub=sub, igw=igw, nat=nat, eipalloc=eip["AllocationId"], moto_eip=eip["PublicIp"],
                 rt_pub=rt_pub, rt_priv=rt_priv, acl=acl, sg_alb=sg_alb, sg_priv=sg_priv, sg_pub=sg_pub,
                 i_priv=i_priv, i_pub=i_pub, lb=lb, tg=tg)

    out = fix_times(out, BASE_TIME)

    # ---- chosen addresses (what tests cite) ----
    NAT_PRIVATE_IP = "10.0.1.148"
    NAT_EIP = "52.4.118.23"
    PUB_INSTANCE_PUBLIC_IP = "54.173.22.160"
    ALB_NODES = {"public-a": ("10.0.1.237", "34.194.57.12"), "public-b": ("10.0.3.61", "52.70.201.9")}

    enis = out["describe-network-interfaces"]
    fix_user_enis(enis)
    fix_eni_common(enis)
    fix_nat(out, NAT_PRIVATE_IP)
    fix_alb(out, F, ALB_NODES)
    fix_instance_enis(out["describe-instances"], enis)
    inst_pub = [i for r in out["describe-instances"]["Reservations"] for i in r["Instances"]
                if i["InstanceId"] == F["i_pub"]][0]
    out = fix_public_ips(out, {F["moto_eip"]: NAT_EIP, inst_pub["PublicIpAddress"]: PUB_INSTANCE_PUBLIC_IP})
    common_fixes(out)
    fix_subnet_counts(out["describe-subnets"], out["describe-network-interfaces"])
    check_enis_in_subnets(out["describe-subnets"], out["describe-network-interfaces"])
    final = finish(out)
    F.update(NAT_PRIVATE_IP=NAT_PRIVATE_IP, NAT_EIP=NAT_EIP, PUB_INSTANCE_PUBLIC_IP=PUB_INSTANCE_PUBLIC_IP,
             ALB_NODES=ALB_NODES)
    return final, F


def common_fixes(out):
    fix_vpcs(out["describe-vpcs"])
    fix_default_sg(out["describe-security-groups"])
    fix_route_tables(out["describe-route-tables"])
    fix_nacls(out["describe-network-acls"])


def fix_nat(out, nat_ip):
    """NAT gateway, its Elastic IP and its ENI."""
    nats = out["describe-nat-gateways"]["NatGateways"]
    enis = by_id(out["describe-network-interfaces"]["NetworkInterfaces"], "NetworkInterfaceId")
    addrs = by_id(out["describe-addresses"]["Addresses"], "AllocationId")
    for n in nats:
        # moto omits ConnectivityType; AWS prints "public" for a public NAT gateway
        # (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html).
        n["ConnectivityType"] = "public"
        for a in n["NatGatewayAddresses"]:
            # moto picks the NAT's private IP anywhere in 10.0.0.0/8 (moto/ec2/models/nat_gateways.py:
            # random_private_ip() without the subnet) - outside its subnet. AWS assigns an address from
            # the NAT's subnet. moto also omits IsPrimary/Status that AWS prints for each address
            # (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGatewayAddress.html).
            a["PrivateIp"] = nat_ip
            a["IsPrimary"] = True
            a["Status"] = "succeeded"
            eni = enis[a["NetworkInterfaceId"]]
            eip = addrs[a["AllocationId"]]
            # describe-addresses: moto prints the wrong private IP, "InstanceId": "" and omits
            # PublicIpv4Pool / NetworkBorderGroup that AWS prints for an Amazon-pool EIP
            # (https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-addresses.html).
            eip["PrivateIpAddress"] = nat_ip
            if eip.get("InstanceId") == "":
                del eip["InstanceId"]
            eip["PublicIpv4Pool"] = "amazon"
            eip["NetworkBorderGroup"] = REGION
            # The NAT's ENI: moto lists it as a plain user ENI ("interface", Description "",
            # RequesterManaged false, Status "available", the default security group, no attachment,
            # source/dest check on). AWS prints InterfaceType "nat_gateway", Description
            # "Interface for NAT Gateway nat-…", RequesterManaged true with an AWS RequesterId,
            # Status "in-use", no security groups (NAT gateways have none), SourceDestCheck false
            # and an ela-attach attachment:
            # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html
            # https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
            assoc = {"AllocationId": a["AllocationId"], "AssociationId": a["AssociationId"],
                     "IpOwnerId": ACCOUNT, "PublicDnsName": dns_public(a["PublicIp"]), "PublicIp": a["PublicIp"]}
            set_eni_ip(eni, nat_ip, assoc=assoc)
            eni.update({"Attachment": service_attachment(eni["NetworkInterfaceId"]),
                        "Description": f"Interface for NAT Gateway {n['NatGatewayId']}",
                        "Groups": [], "InterfaceType": "nat_gateway", "RequesterId": NAT_REQUESTER_ID,
                        "RequesterManaged": True, "SourceDestCheck": False, "Status": "in-use",
                        "PrivateDnsName": dns_internal(nat_ip)})
            for p in eni["PrivateIpAddresses"]:
                p["PrivateDnsName"] = dns_internal(nat_ip)


def fix_alb(out, F, nodes):
    """ALB output and the ENIs of the ALB nodes."""
    lb = out["describe-load-balancers"]["LoadBalancers"][0]
    lb_id = lb["LoadBalancerArn"].rsplit("/", 1)[1]
    # moto prints DNSName "<name>-1.us-east-1.elb.amazonaws.com" and CanonicalHostedZoneId
    # "Z2P70J7EXAMPLE"; AWS prints "<name>-<number>.us-east-1.elb.amazonaws.com" and the
    # region's ALB zone Z35SXDOTRQ7X7K (https://docs.aws.amazon.com/general/latest/gr/elb.html,
    # describe-load-balancers example: my-load-balancer-424835706.us-west-2.elb.amazonaws.com).
    lb["DNSName"] = f"{lb['LoadBalancerName']}-{int(h('alb', lb_id, n=8), 16) % 10**10}.{REGION}.elb.amazonaws.com"
    lb["CanonicalHostedZoneId"] = ALB_HOSTED_ZONE
    # AWS prints LoadBalancerAddresses (empty for an ALB) in each AvailabilityZones entry
    # (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AvailabilityZone.html).
    for az in lb["AvailabilityZones"]:
        az["LoadBalancerAddresses"] = []
    # moto prints SslPolicy "ELBSecurityPolicy-2016-08" and "AlpnPolicy": [] on a plain HTTP
    # listener and no ForwardConfig. AWS prints no SslPolicy/AlpnPolicy for HTTP and expands a
    # forward action into ForwardConfig with weight 1 and stickiness off
    # (https://docs.aws.amazon.com/cli/latest/reference/elbv2/describe-listeners.html,
    #  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ForwardActionConfig.html).
    for ls in out["describe-listeners"]["Listeners"]:
        if ls["Protocol"] == "HTTP":
            ls.pop("SslPolicy", None)
            ls.pop("AlpnPolicy", None)
        for act in ls["DefaultActions"]:
            if act["Type"] == "forward" and "ForwardConfig" not in act:
                act["ForwardConfig"] = {"TargetGroups": [{"TargetGroupArn": act["TargetGroupArn"], "Weight": 1}],
                                        "TargetGroupStickinessConfig": {"Enabled": False}}
    # moto prints HealthCheckPort "traffic-port" in describe-target-health; AWS prints the port
    # actually probed, i.e. the target's port ("HealthCheckPort": "80" in
    # https://docs.aws.amazon.com/cli/latest/reference/elbv2/describe-target-health.html).
    for d in out["describe-target-health"]["TargetHealthDescriptions"]:
        if d.get("HealthCheckPort") == "traffic-port":
            d["HealthCheckPort"] = str(d["Target"]["Port"])
    # moto creates no ENIs for the ALB. AWS places one requester-managed ENI per enabled subnet,
    # Description "ELB app/<name>/<id>", RequesterId "amazon-elb", with the ALB's security groups
    # and, for an internet-facing ALB, an Amazon-pool public IP
    # (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html,
    #  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html).
    sgs = by_id(out["describe-security-groups"]["SecurityGroups"], "GroupId")
    subs = by_id(out["describe-subnets"]["Subnets"], "SubnetId")
    for az in lb["AvailabilityZones"]:
        name = [k for k, v in F["sub"].items() if v == az["SubnetId"]][0]
        priv, pub = nodes[name]
        eni_id = "eni-0" + h("alb-eni", lb_id, name)
        assoc = {"IpOwnerId": "amazon", "PublicDnsName": dns_public(pub), "PublicIp": pub}
        eni = {
            "Association": assoc,
            "Attachment": {"AttachmentId": "ela-attach-0" + h("attach", eni_id), "DeleteOnTermination": False,
                           "DeviceIndex": 1, "InstanceOwnerId": "amazon-elb", "Status": "attached"},
            "AvailabilityZone": az["ZoneName"],
            "Description": f"ELB app/{lb['LoadBalancerName']}/{lb_id}",
            "Groups": [{"GroupId": g, "GroupName": sgs[g]["GroupName"]} for g in lb["SecurityGroups"]],
            "InterfaceType": "interface",
            "Ipv6Addresses": [],
            "MacAddress": mac_for(eni_id),
            "NetworkInterfaceId": eni_id,
            "OwnerId": ACCOUNT,
            "PrivateDnsName": dns_internal(priv),
            "PrivateIpAddress": priv,
            "PrivateIpAddresses": [{"Association": dict(assoc), "Primary": True,
                                    "PrivateDnsName": dns_internal(priv), "PrivateIpAddress": priv}],
            "RequesterId": "amazon-elb",
            "RequesterManaged": True,
            "SourceDestCheck": True,
            "Status": "in-use",
            "SubnetId": az["SubnetId"],
            "TagSet": [],
            "VpcId": subs[az["SubnetId"]]["VpcId"],
        }
        out["describe-network-interfaces"]["NetworkInterfaces"].append(eni)


# ===========================================================================
# Network 2: endpoints
# ===========================================================================

LAMBDA_NAMESPACE = uuid.UUID("6f1b7a0e-2b9c-4f6e-9a57-1f0c3d2e4b5a")


def build_endpoints():
    F = {}
    with mock_aws():
        mock_random.seed(SEED + 1)
        ec2 = boto3.client("ec2", region_name=REGION)

        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=tagspec("vpc", "ep-vpc"))["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        sub = {}
        for name, cidr, az in (("private-a", "10.1.1.0/24", "us-east-1a"), ("private-b", "10.1.2.0/24", "us-east-1b")):
            sub[name] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az,
                                          TagSpecifications=tagspec("subnet", f"ep-{name}"))["Subnet"]["SubnetId"]
        rt = ec2.create_route_table(VpcId=vpc, TagSpecifications=tagspec("route-table", "ep-private-rt"))[
            "RouteTable"]["RouteTableId"]
        for s in sub.values():
            ec2.associate_route_table(RouteTableId=rt, SubnetId=s)

        sg_app = ec2.create_security_group(GroupName="ep-app", Description="orders-fn lambda", VpcId=vpc,
                                           TagSpecifications=tagspec("security-group", "ep-app"))["GroupId"]
        sg_ep = ec2.create_security_group(GroupName="ep-endpoints", Description="interface endpoints: 443 from app",
                                          VpcId=vpc, TagSpecifications=tagspec("security-group", "ep-endpoints"))["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg_ep, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
             "UserIdGroupPairs": [{"GroupId": sg_app, "Description": "orders-fn"}]}])

        gw = {}
        for svc in ("s3", "dynamodb"):
            gw[svc] = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.{svc}",
                                              VpcEndpointType="Gateway", RouteTableIds=[rt], ClientToken=f"ep-{svc}",
                                              TagSpecifications=tagspec("vpc-endpoint", f"ep-{svc}"))[
                "VpcEndpoint"]["VpcEndpointId"]
        itf = {}
        for svc in ("secretsmanager", "sqs"):
            itf[svc] = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.{svc}",
                                               VpcEndpointType="Interface", SubnetIds=[sub["private-a"], sub["private-b"]],
                                               SecurityGroupIds=[sg_ep], PrivateDnsEnabled=True,
                                               ClientToken=f"ep-{svc}",
                                               TagSpecifications=tagspec("vpc-endpoint", f"ep-{svc}"))[
                "VpcEndpoint"]["VpcEndpointId"]

        lam = {}
        LAMBDA_IPS = {"private-a": "10.1.1.115", "private-b": "10.1.2.140"}
        for name, s in sub.items():
            u = uuid.uuid5(LAMBDA_NAMESPACE, f"orders-fn/{name}")
            lam[name] = ec2.create_network_interface(
                SubnetId=s, Groups=[sg_app], PrivateIpAddress=LAMBDA_IPS[name],
                Description=f"AWS Lambda VPC ENI-orders-fn-{u}")["NetworkInterface"]["NetworkInterfaceId"]

        out = collect_ec2(ec2, [vpc])
        # describe-prefix-lists / describe-managed-prefix-lists, as with
        # --filters Name=prefix-list-name,Values=com.amazonaws.us-east-1.s3,com.amazonaws.us-east-1.dynamodb
        names = [v[1] for v in PREFIX_LISTS.values()]
        out["describe-prefix-lists"] = strip_meta(ec2.describe_prefix_lists(
            Filters=[{"Name": "prefix-list-name", "Values": names}]))
        out["describe-managed-prefix-lists"] = strip_meta(ec2.describe_managed_prefix_lists(
            Filters=[{"Name": "prefix-list-name", "Values": names}]))
        moto_pl = {p["PrefixListName"]: p["PrefixListId"] for p in out["describe-managed-prefix-lists"]["PrefixLists"]}
        for svc, (plid, name, _) in PREFIX_LISTS.items():
            out[f"get-managed-prefix-list-entries@{plid}"] = strip_meta(
                ec2.get_managed_prefix_list_entries(PrefixListId=moto_pl[name]))
        F.update(vpc=vpc, sub=sub, rt=rt, sg_app=sg_app, sg_ep=sg_ep, gw=gw, itf=itf, lam=lam, moto_pl=moto_pl,
                 LAMBDA_IPS=LAMBDA_IPS)

    out = fix_times(out, BASE_TIME + datetime.timedelta(days=1))
    ENDPOINT_IPS = {("secretsmanager", "private-a"): "10.1.1.34", ("secretsmanager", "private-b"): "10.1.2.187",
                    ("sqs", "private-a"): "10.1.1.78", ("sqs", "private-b"): "10.1.2.29"}
    fix_user_enis(out["describe-network-interfaces"])
    fix_eni_common(out["describe-network-interfaces"])
    fix_endpoints(out, F, ENDPOINT_IPS)
    fix_lambda_enis(out, F)
    fix_prefix_lists(out, F)
    common_fixes(out)
    fix_subnet_counts(out["describe-subnets"], out["describe-network-interfaces"])
    check_enis_in_subnets(out["describe-subnets"], out["describe-network-interfaces"])
    final = finish(out)
    F["ENDPOINT_IPS"] = ENDPOINT_IPS
    return final, F


def fix_endpoints(out, F, ips):
    subs = by_id(out["describe-subnets"]["Subnets"], "SubnetId")
    sgs = by_id(out["describe-security-groups"]["SecurityGroups"], "GroupId")
    enis = by_id(out["describe-network-interfaces"]["NetworkInterfaces"], "NetworkInterfaceId")
    sub_name = {v: k for k, v in F["sub"].items()}
    for ep in out["describe-vpc-endpoints"]["VpcEndpoints"]:
        svc = ep["ServiceName"].rsplit(".", 1)[1]
        # AWS prints IpAddressType and RequesterManaged on every endpoint; moto omits both
        # (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html).
        ep["IpAddressType"] = "ipv4"
        ep["RequesterManaged"] = False
        if ep["VpcEndpointType"] == "Gateway":
            # moto serialises the default policy with spaces; AWS prints the compact document
            # (describe-vpc-endpoints example, https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-endpoints.html).
            ep["PolicyDocument"] = ('{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*",'
                                    '"Action":"*","Resource":"*"}]}')
            continue
        # Interface endpoints. moto's default policy text differs from AWS's pretty-printed one
        # (same doc, second example).
        ep["PolicyDocument"] = ('{\n  "Statement": [\n    {\n      "Action": "*", \n      "Effect": "Allow", \n'
                                '      "Principal": "*", \n      "Resource": "*"\n    }\n  ]\n}')
        ep["DnsOptions"] = {"DnsRecordIpType": "ipv4"}
        # moto prints one DnsEntry "vpce-…-xxxx.com.amazonaws.us-east-1.<svc>" in a made-up zone. AWS
        # prints the regional name, one name per AZ (both in Z7HUB22UULQXV) and, with private DNS
        # enabled, the service's own name in the private hosted zone it created
        # (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns).
        suffix = h("vpce-dns", ep["VpcEndpointId"], n=8)
        base = f"{ep['VpcEndpointId']}-{suffix}"
        entries = [{"DnsName": f"{base}.{svc}.{REGION}.vpce.amazonaws.com", "HostedZoneId": VPCE_HOSTED_ZONE}]
        for sid in sorted(ep["SubnetIds"], key=lambda s: subs[s]["AvailabilityZone"], reverse=True):
            entries.append({"DnsName": f"{base}-{subs[sid]['AvailabilityZone']}.{svc}.{REGION}.vpce.amazonaws.com",
                            "HostedZoneId": VPCE_HOSTED_ZONE})
        entries.append({"DnsName": f"{svc}.{REGION}.amazonaws.com",
                        "HostedZoneId": "Z0" + h("phz", ep["VpcEndpointId"], n=19).upper()})
        ep["DnsEntries"] = entries
        groups = [{"GroupId": g["GroupId"], "GroupName": sgs[g["GroupId"]]["GroupName"]} for g in ep["Groups"]]
        for eni_id in ep["NetworkInterfaceIds"]:
            eni = enis[eni_id]
            # moto gives the endpoint ENIs an address anywhere in 10.0.0.0/8 (moto/ec2/models/vpcs.py:
            # create_network_interface(subnet_id, random_private_ip())), lists them as plain user ENIs
            # ("interface", Description "", RequesterManaged false, Status "available") in the default
            # security group. AWS picks an address in the subnet and prints InterfaceType
            # "vpc_endpoint", Description "VPC Endpoint Interface vpce-…", RequesterManaged true, the
            # endpoint's security groups, Status "in-use":
            # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html
            ip = ips[(svc, sub_name[eni["SubnetId"]])]
            set_eni_ip(eni, ip)
            eni.update({"Attachment": service_attachment(eni_id),
                        "Description": f"VPC Endpoint Interface {ep['VpcEndpointId']}",
                        "Groups": copy.deepcopy(groups), "InterfaceType": "vpc_endpoint",
                        "RequesterId": VPCE_REQUESTER_ID, "RequesterManaged": True, "Status": "in-use",
                        "PrivateDnsName": dns_internal(ip)})
            eni["PrivateIpAddresses"][0]["PrivateDnsName"] = dns_internal(ip)


def fix_lambda_enis(out, F):
    # Lambda's Hyperplane ENIs are created by the Lambda service; an ordinary
    # create-network-interface in moto yields a user ENI ("interface", RequesterManaged false,
    # Status "available", no attachment). AWS prints InterfaceType "lambda", RequesterManaged true,
    # a RequesterId of the Lambda service role session (<account>:awslambda_…), Status "in-use"
    # and Description "AWS Lambda VPC ENI-<function>-<uuid>":
    # https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterface.html (InterfaceType lambda)
    enis = by_id(out["describe-network-interfaces"]["NetworkInterfaces"], "NetworkInterfaceId")
    for name, eni_id in F["lam"].items():
        e = enis[eni_id]
        e.update({"Attachment": service_attachment(eni_id), "InterfaceType": "lambda",
                  "RequesterId": f"{ACCOUNT}:awslambda_{h('lambda-req', name, n=20)}",
                  "RequesterManaged": True, "Status": "in-use"})


def fix_prefix_lists(out, F):
    moto_to_real = {F["moto_pl"][name]: plid for plid, name, _ in PREFIX_LISTS.values()}
    cidrs = {plid: c for plid, _, c in PREFIX_LISTS.values()}
    # Route tables: the gateway endpoints' routes point at moto's random pl- ids (real ids above).
    for rt in out["describe-route-tables"]["RouteTables"]:
        for r in rt["Routes"]:
            if r.get("DestinationPrefixListId") in moto_to_real:
                r["DestinationPrefixListId"] = moto_to_real[r["DestinationPrefixListId"]]
    # describe-prefix-lists: moto omits Cidrs; AWS prints them (describe-prefix-lists example).
    for p in out["describe-prefix-lists"]["PrefixLists"]:
        p["PrefixListId"] = moto_to_real[p["PrefixListId"]]
        p["Cidrs"] = list(cidrs[p["PrefixListId"]])
    out["describe-prefix-lists"]["PrefixLists"].sort(key=lambda p: p["PrefixListName"], reverse=True)
    # describe-managed-prefix-lists: moto's ARN has account "AWS"; AWS prints
    # arn:aws:ec2:us-east-1:aws:prefix-list/pl-… with OwnerId "AWS" and no MaxEntries/Version for
    # AWS-managed lists (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
    for p in out["describe-managed-prefix-lists"]["PrefixLists"]:
        p["PrefixListId"] = moto_to_real[p["PrefixListId"]]
        p["PrefixListArn"] = f"arn:aws:ec2:{REGION}:aws:prefix-list/{p['PrefixListId']}"
        p["OwnerId"] = "AWS"
        p.pop("MaxEntries", None)
        p.pop("Version", None)
    out["describe-managed-prefix-lists"]["PrefixLists"].sort(key=lambda p: p["PrefixListName"], reverse=True)
    # get-managed-prefix-list-entries: moto returns its own short CIDR list with Description
    # "default"; AWS prints the current CIDRs, without descriptions, in string order.
    for key in list(out):
        if key.startswith("get-managed-prefix-list-entries@"):
            plid = key.split("@", 1)[1]
            out[key] = {"Entries": [{"Cidr": c} for c in cidrs[plid]]}


# ===========================================================================
# Network 3: peered
# ===========================================================================

def build_peered():
    F = {}
    with mock_aws():
        mock_random.seed(SEED + 2)
        ec2 = boto3.client("ec2", region_name=REGION)
        ami = linux_ami(ec2)
        vpcs, subs, rts, sgs, inst = {}, {}, {}, {}, {}
        for k, cidr, scidr, az in (("a", "10.2.0.0/16", "10.2.1.0/24", "us-east-1a"),
                                   ("b", "10.3.0.0/16", "10.3.1.0/24", "us-east-1a"),
                                   ("c", "10.4.0.0/16", "10.4.1.0/24", "us-east-1b")):
            vpcs[k] = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tagspec("vpc", f"peer-vpc-{k}"))["Vpc"]["VpcId"]
            subs[k] = ec2.create_subnet(VpcId=vpcs[k], CidrBlock=scidr, AvailabilityZone=az,
                                        TagSpecifications=tagspec("subnet", f"peer-{k}-private"))["Subnet"]["SubnetId"]
            rts[k] = ec2.create_route_table(VpcId=vpcs[k], TagSpecifications=tagspec("route-table", f"peer-{k}-rt"))[
                "RouteTable"]["RouteTableId"]
            ec2.associate_route_table(RouteTableId=rts[k], SubnetId=subs[k])

        pcx = {}
        for k, req, acc in (("ab", "a", "b"), ("bc", "b", "c")):
            pcx[k] = ec2.create_vpc_peering_connection(
                VpcId=vpcs[req], PeerVpcId=vpcs[acc],
                TagSpecifications=tagspec("vpc-peering-connection", f"peer-{k}"))["VpcPeeringConnection"][
                "VpcPeeringConnectionId"]
            ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx[k])
        ec2.create_route(RouteTableId=rts["a"], DestinationCidrBlock="10.3.0.0/16", VpcPeeringConnectionId=pcx["ab"])
        ec2.create_route(RouteTableId=rts["b"], DestinationCidrBlock="10.2.0.0/16", VpcPeeringConnectionId=pcx["ab"])
        ec2.create_route(RouteTableId=rts["b"], DestinationCidrBlock="10.4.0.0/16", VpcPeeringConnectionId=pcx["bc"])
        ec2.create_route(RouteTableId=rts["c"], DestinationCidrBlock="10.3.0.0/16", VpcPeeringConnectionId=pcx["bc"])

        sgs["a"] = ec2.create_security_group(GroupName="peer-a-app", Description="A app: 8080 from B db group",
                                             VpcId=vpcs["a"], TagSpecifications=tagspec("security-group", "peer-a-app"))["GroupId"]
        sgs["b"] = ec2.create_security_group(GroupName="peer-b-db", Description="B postgres: 5432 from A CIDR and C app group",
                                             VpcId=vpcs["b"], TagSpecifications=tagspec("security-group", "peer-b-db"))["GroupId"]
        sgs["c"] = ec2.create_security_group(GroupName="peer-c-app", Description="C app: ssh from A and B",
                                             VpcId=vpcs["c"], TagSpecifications=tagspec("security-group", "peer-c-app"))["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sgs["b"], IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
             "IpRanges": [{"CidrIp": "10.2.0.0/16", "Description": "VPC A via pcx"}]},
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
             "UserIdGroupPairs": [{"GroupId": sgs["c"], "UserId": ACCOUNT, "VpcId": vpcs["c"],
                                   "VpcPeeringConnectionId": pcx["bc"]}]}])
        ec2.authorize_security_group_ingress(GroupId=sgs["a"], IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
             "UserIdGroupPairs": [{"GroupId": sgs["b"], "UserId": ACCOUNT, "VpcId": vpcs["b"],
                                   "VpcPeeringConnectionId": pcx["ab"]}]}])
        ec2.authorize_security_group_ingress(GroupId=sgs["c"], IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "10.2.0.0/16"}, {"CidrIp": "10.3.0.0/16"}]}])

        IPS = {"a": "10.2.1.10", "b": "10.3.1.20", "c": "10.4.1.30"}
        for k in "abc":
            inst[k] = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                        SubnetId=subs[k], SecurityGroupIds=[sgs[k]], PrivateIpAddress=IPS[k],
                                        ClientToken=f"peer-{k}",
                                        TagSpecifications=tagspec("instance", f"peer-{k}-host"))["Instances"][0]["InstanceId"]
        out = collect_ec2(ec2, list(vpcs.values()))
        F.update(vpcs=vpcs, subs=subs, rts=rts, sgs=sgs, inst=inst, pcx=pcx, IPS=IPS)

    out = fix_times(out, BASE_TIME + datetime.timedelta(days=2))
    fix_user_enis(out["describe-network-interfaces"])
    fix_eni_common(out["describe-network-interfaces"])
    fix_instance_enis(out["describe-instances"], out["describe-network-interfaces"])
    fix_peering(out)
    common_fixes(out)
    fix_subnet_counts(out["describe-subnets"], out["describe-network-interfaces"])
    check_enis_in_subnets(out["describe-subnets"], out["describe-network-interfaces"])
    final = finish(out)
    return final, F


def fix_peering(out):
    # moto omits CidrBlockSet in RequesterVpcInfo/AccepterVpcInfo; AWS prints the VPC's IPv4
    # CIDRs there (https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-peering-connections.html,
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnectionVpcInfo.html).
    for p in out["describe-vpc-peering-connections"]["VpcPeeringConnections"]:
        for side in ("AccepterVpcInfo", "RequesterVpcInfo"):
            info = p[side]
            info.setdefault("CidrBlockSet", [{"CidrBlock": info["CidrBlock"]}])


# ===========================================================================
# Writing files and README
# ===========================================================================

def write_network(name, outputs):
    d = OUT / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for key, resp in outputs.items():
        call, _, arg = key.partition("@")
        fname = f"{call}-{arg}.json" if arg else f"{call}.json"
        (d / fname).write_text(cli_json(resp))
    return d


def validate(d):
    bad = re.compile(r'123456789012|AIDAIT2UOQQY3AUEMOTO|EXAMPLE|\b127\.\d+\.\d+\.\d+|54\.214\.|02:00:00:|"Association": \{\}')
    for f in sorted(d.glob("*.json")):
        text = f.read_text()
        json.loads(text)
        m = bad.search(text)
        if m:
            raise SystemExit(f"{f}: moto artefact left in output: {m.group(0)!r}")
        for ts in re.findall(r'"(\d{4}-\d\d-\d\dT[^"]*)"', text):
            if not ts.startswith("2024-05-1"):
                raise SystemExit(f"{f}: wall-clock time leaked: {ts}")


def norm(x):
    """Final (normalised) form of a moto id, for the README."""
    return normalise_ids(x)


def main():
    ppn, F1 = build_public_private_nat()
    ep, F2 = build_endpoints()
    peer, F3 = build_peered()
    dirs = [write_network("public-private-nat", ppn), write_network("endpoints", ep), write_network("peered", peer)]
    lay = OUT / "layouts"
    if lay.exists():
        shutil.rmtree(lay)
    dst = lay / "accounts" / ACCOUNT / REGION
    dst.mkdir(parents=True)
    for f in sorted((OUT / "endpoints").glob("*.json")):
        shutil.copyfile(f, dst / f.name)
    dirs.append(dst)
    for d in dirs:
        validate(d)
    (OUT / "README.md").write_text(readme(ppn, F1, ep, F2, peer, F3))
    for d in dirs:
        print(f"wrote {d.relative_to(ROOT)}: {len(list(d.glob('*.json')))} files")


# ---------------------------------------------------------------------------
# README (generated so the ids it cites always match the files)
# ---------------------------------------------------------------------------

def readme(ppn, F1, ep, F2, peer, F3):
    n = norm
    s1 = {k: n(v) for k, v in F1["sub"].items()}
    lb = ppn["describe-load-balancers"]["LoadBalancers"][0]
    tgarn = ppn["describe-target-groups"]["TargetGroups"][0]["TargetGroupArn"]
    ppn_enis = ppn["describe-network-interfaces"]["NetworkInterfaces"]
    nat_eni = [e for e in ppn_enis if e["InterfaceType"] == "nat_gateway"][0]["NetworkInterfaceId"]
    alb_enis = {e["SubnetId"]: e["NetworkInterfaceId"] for e in ppn_enis if e.get("RequesterId") == "amazon-elb"}
    main_rt1 = [r["RouteTableId"] for r in ppn["describe-route-tables"]["RouteTables"]
                if any(a["Main"] for a in r["Associations"])][0]
    def_acl1 = [a["NetworkAclId"] for a in ppn["describe-network-acls"]["NetworkAcls"] if a["IsDefault"]][0]

    s2 = {k: n(v) for k, v in F2["sub"].items()}
    ep_enis = ep["describe-network-interfaces"]["NetworkInterfaces"]
    eni_by_ip = {e["PrivateIpAddress"]: e["NetworkInterfaceId"] for e in ep_enis}
    lam_ip = F2["LAMBDA_IPS"]
    eip = F2["ENDPOINT_IPS"]
    itf = {k: n(v) for k, v in F2["itf"].items()}
    gw = {k: n(v) for k, v in F2["gw"].items()}

    v3 = {k: n(v) for k, v in F3["vpcs"].items()}
    sub3 = {k: n(v) for k, v in F3["subs"].items()}
    rt3 = {k: n(v) for k, v in F3["rts"].items()}
    sg3 = {k: n(v) for k, v in F3["sgs"].items()}
    in3 = {k: n(v) for k, v in F3["inst"].items()}
    pcx = {k: n(v) for k, v in F3["pcx"].items()}
    ip3 = F3["IPS"]

    return f"""# AWS describe-* fixtures

Generated by `python3 Scripts/gen-aws-fixtures.py` (boto3 against moto {__import__('moto').__version__},
in-process, no AWS access). Do not edit the JSON by hand: change the script and re-run it; two runs give
byte-identical files. This README is generated too, so the ids below always match the files.

Each directory holds one file per CLI call, printed as `aws ec2 <call>` / `aws elbv2 <call>` prints it
(indent 4, ISO timestamps, no `ResponseMetadata`). Account `{ACCOUNT}`, region `{REGION}`. Only the
network's own VPCs are described (as with `--filters Name=vpc-id,Values=…`; moto's default VPC is left out).
Files with nothing to report are kept (e.g. `{{"VpcEndpoints": []}}`) so loaders see empty lists too.

Notes for loaders (this is how the real CLI prints it): `describe-prefix-lists` and `describe-managed-prefix-lists`
both print the top-level key `PrefixLists` (elements differ: `Cidrs` vs `PrefixListArn`/`AddressFamily`/`State`);
`get-managed-prefix-list-entries` prints only `{{"Entries": [...]}}` with no prefix-list id, so the file name
(`get-managed-prefix-list-entries-pl-63a5400a.json`) is its only link — the same CIDRs are under `Cidrs` in
`describe-prefix-lists.json`.

| directory | what it is |
| --- | --- |
| `public-private-nat/` | VPC 10.0.0.0/16: public subnets with an IGW, private subnet behind a NAT gateway, custom NACL, internet-facing ALB |
| `endpoints/` | VPC 10.1.0.0/16 without internet: S3/DynamoDB gateway endpoints, secretsmanager/sqs interface endpoints, Lambda ENIs, AWS-managed prefix lists |
| `peered/` | VPCs A 10.2.0.0/16, B 10.3.0.0/16, C 10.4.0.0/16; peerings A–B and B–C only |
| `layouts/accounts/{ACCOUNT}/{REGION}/` | copy of `endpoints/` in an account/region folder layout |

## moto output repaired by the script

moto's answers differ from real AWS in these places; the script fixes each one (its comments cite the AWS docs):

- ids: moto's 17-hex ids do not start with `0`; AWS's do. All ids are rewritten consistently (`vpc-9…` → `vpc-0…`).
- timestamps: wall clock → fixed (2024-05-14/15/16 09:30 UTC); MAC addresses: moto's fixed `02:00:00` prefix → per-ENI random-looking locally-administered MACs.
- NAT gateway: private IP outside its subnet → inside it; missing `ConnectivityType`, `IsPrimary`, `Status`; the NAT's ENI listed as a user `interface` → `nat_gateway`, `RequesterManaged` true, `Description` `Interface for NAT Gateway nat-…`, no security groups, `SourceDestCheck` false, `Association.PublicIp` = the EIP, attached (`ela-attach-…`).
- Elastic IPs from 127.0.0.0/8 (loopback) and auto-assigned IPs from 54.214.0.0/16 → fixed us-east-1 addresses; `describe-addresses` gets `PublicIpv4Pool`/`NetworkBorderGroup`, loses `InstanceId: ""`, and its `PrivateIpAddress` is the NAT's real one.
- Auto-assigned public IPs: `IpOwnerId` account → `amazon`, `PublicDnsName` `ip-…ec2.internal` → `ec2-…compute-1.amazonaws.com`; ENIs gain `PrivateDnsName`; `RequesterId` of moto's fake IAM user dropped from user ENIs; primary ENI `DeleteOnTermination` → true; `StateReason` with empty code and empty `Association` objects dropped; `PublicDnsName: ""`, `PlatformDetails`, `UsageOperation` added; `HibernationOptions` → `{{"Configured": false}}`; root volume named after `RootDeviceName`.
- VPC `DhcpOptionsId` `default` → the account's default `dopt-…` set.
- Default security group gets its self-referencing inbound rule.
- Custom NACL gets the two `*`/32767 deny entries AWS always adds; entries ordered outbound first, by rule number.
- Route tables get `PropagatingVgws: []`; peering connections get `CidrBlockSet`.
- Interface endpoints: ENI IPs outside their subnets → inside; ENIs become `vpc_endpoint`, `RequesterManaged`, `Description` `VPC Endpoint Interface vpce-…`, the endpoint's SG; realistic `DnsEntries` (regional, per-AZ, private DNS name), `DnsOptions`, `IpAddressType`, `RequesterManaged`, AWS's policy text.
- Prefix lists: moto's random `pl-…` ids → `pl-63a5400a` (S3) and `pl-02cd2c6b` (DynamoDB) everywhere (also the gateway-endpoint routes); real us-east-1 CIDRs; `Cidrs` added to `describe-prefix-lists`; managed-list ARN owner `aws`; entries without moto's `default` descriptions.
- Lambda ENIs: `InterfaceType` `lambda`, `RequesterManaged` true, `RequesterId` `<account>:awslambda_…`, in-use.
- ALB: `DNSName`/`CanonicalHostedZoneId` (`Z35SXDOTRQ7X7K`), `LoadBalancerAddresses`; HTTP listener without `SslPolicy`/`AlpnPolicy` but with `ForwardConfig`; `HealthCheckPort` `8080` not `traffic-port`; the two ALB node ENIs (missing in moto) added.
- Subnet `AvailableIpAddressCount` recomputed from the ENIs actually in the subnet.

Not reproducible with moto (left out or approximated): the RequesterId of NAT-gateway ENIs is an AWS service
account taken from a captured output (`{NAT_REQUESTER_ID}`); the private hosted-zone ids of interface endpoints and
the ALB's DNS number are made up; Lambda ENIs are plain ENIs made to look like Hyperplane ENIs (there is no Lambda
function behind them).

## Reachability facts (AWS semantics; use these as test expectations)

### public-private-nat (VPC `{n(F1['vpc'])}` 10.0.0.0/16)

Ids: subnets public-a `{s1['public-a']}` 10.0.1.0/24 us-east-1a, private-a `{s1['private-a']}` 10.0.2.0/24 us-east-1a,
public-b `{s1['public-b']}` 10.0.3.0/24 us-east-1b; IGW `{n(F1['igw'])}`; NAT `{n(F1['nat'])}` (ENI `{nat_eni}`,
private {F1['NAT_PRIVATE_IP']}, EIP {F1['NAT_EIP']} `{n(F1['eipalloc'])}`); route tables: main `{main_rt1}` (local only,
no subnet uses it), public `{n(F1['rt_pub'])}` (0.0.0.0/0 → IGW; public-a, public-b), private `{n(F1['rt_priv'])}`
(0.0.0.0/0 → NAT; private-a); NACLs: default `{def_acl1}` (public-a, public-b; allow all), custom `{n(F1['acl'])}`
(private-a: in 100 tcp 1024-65535 from 0.0.0.0/0, in 200 all from 10.0.0.0/16, out 100 all); instances: private
`{n(F1['i_priv'])}` 10.0.2.10 (SG `{n(F1['sg_priv'])}`: in tcp/22 from 10.0.0.0/16, tcp/8080 from the ALB SG; out all),
public `{n(F1['i_pub'])}` 10.0.1.20 / {F1['PUB_INSTANCE_PUBLIC_IP']} (SG `{n(F1['sg_pub'])}`: in tcp/80, tcp/443 from
0.0.0.0/0, tcp/22 from 203.0.113.10/32; out all); ALB `{lb['LoadBalancerName']}` {lb['DNSName']} (SG `{n(F1['sg_alb'])}`: in
tcp/80 from 0.0.0.0/0), nodes {F1['ALB_NODES']['public-a'][0]} / {F1['ALB_NODES']['public-a'][1]} (ENI
`{alb_enis[s1['public-a']]}`) and {F1['ALB_NODES']['public-b'][0]} / {F1['ALB_NODES']['public-b'][1]} (ENI
`{alb_enis[s1['public-b']]}`), listener HTTP:80 → target group `{tgarn}` HTTP:8080 → `{n(F1['i_priv'])}`:8080.

1. 10.0.2.10 → 8.8.8.8 tcp/80: **reachable** — private rt 0.0.0.0/0 → NAT `{n(F1['nat'])}` ({F1['NAT_PRIVATE_IP']}) →
   public rt → IGW; the internet sees source **{F1['NAT_EIP']}**. Return traffic (src 8.8.8.8:80 → dst port ≥1024) passes
   NACL `{n(F1['acl'])}` inbound rule 100.
2. 10.0.2.10 → 8.8.8.8 udp/53: **not reachable** (request leaves, reply is dropped): the private subnet's NACL admits
   from outside the VPC only tcp 1024-65535. ICMP echo to 8.8.8.8 fails the same way.
3. Internet (e.g. 198.51.100.7) → {F1['NAT_EIP']} on any port: **not reachable** — a NAT gateway accepts no connection
   initiated from the internet.
4. Internet → {F1['PUB_INSTANCE_PUBLIC_IP']} tcp/80 and tcp/443: **reachable** (IGW translates to 10.0.1.20; default NACL;
   SG `{n(F1['sg_pub'])}`).
5. Internet 198.51.100.7 → {F1['PUB_INSTANCE_PUBLIC_IP']} tcp/22: **not reachable** (SG); from 203.0.113.10 → tcp/22:
   **reachable**.
6. 10.0.1.20 → internet: reachable directly via the IGW with source {F1['PUB_INSTANCE_PUBLIC_IP']} (not via the NAT).
7. Internet → ALB ({F1['ALB_NODES']['public-a'][1]} or {F1['ALB_NODES']['public-b'][1]}) tcp/80: **reachable**, forwarded
   from the node's private IP to 10.0.2.10:8080 (SG `{n(F1['sg_priv'])}` allows 8080 from the ALB SG; NACL rule 200 allows
   10.0.0.0/16). Target health: healthy. Internet → ALB tcp/443: **not reachable** (no listener, SG).
8. 10.0.1.20 → 10.0.2.10 tcp/22: **reachable** (SG 22 from 10.0.0.0/16; NACL rule 200). 10.0.1.20 → 10.0.2.10 tcp/8080:
   **not reachable** (SG allows 8080 only from the ALB's group).
9. Internet → 10.0.2.10 (or 10.0.1.20 by private address): **not reachable** (private addresses are not routed from the
   internet; the private instance has no public IP).

### endpoints (VPC `{n(F2['vpc'])}` 10.1.0.0/16, no IGW, no NAT)

Ids: subnets private-a `{s2['private-a']}` 10.1.1.0/24 us-east-1a, private-b `{s2['private-b']}` 10.1.2.0/24 us-east-1b,
both on route table `{n(F2['rt'])}` (local; `pl-63a5400a` → `{gw['s3']}`; `pl-02cd2c6b` → `{gw['dynamodb']}`); SGs app
`{n(F2['sg_app'])}` (no inbound, out all), endpoints `{n(F2['sg_ep'])}` (in tcp/443 from `{n(F2['sg_app'])}`); interface
endpoints secretsmanager `{itf['secretsmanager']}` (ENIs {eip[('secretsmanager', 'private-a')]} `{eni_by_ip[eip[('secretsmanager', 'private-a')]]}`,
{eip[('secretsmanager', 'private-b')]} `{eni_by_ip[eip[('secretsmanager', 'private-b')]]}`) and sqs `{itf['sqs']}` (ENIs
{eip[('sqs', 'private-a')]} `{eni_by_ip[eip[('sqs', 'private-a')]]}`, {eip[('sqs', 'private-b')]} `{eni_by_ip[eip[('sqs', 'private-b')]]}`),
private DNS on; Lambda `orders-fn` ENIs {lam_ip['private-a']} `{eni_by_ip[lam_ip['private-a']]}` (us-east-1a) and
{lam_ip['private-b']} `{eni_by_ip[lam_ip['private-b']]}` (us-east-1b), SG app.
S3 `pl-63a5400a`: {', '.join(PREFIX_LISTS['s3'][2])}. DynamoDB `pl-02cd2c6b`: {', '.join(PREFIX_LISTS['dynamodb'][2])}.

1. {lam_ip['private-a']} → S3 52.216.10.20 tcp/443: **reachable** via gateway endpoint `{gw['s3']}` (route
   `pl-63a5400a`; SG out all). Same from {lam_ip['private-b']}, and to 54.231.0.10, 3.5.0.10, 16.182.0.10.
2. {lam_ip['private-a']} → DynamoDB 52.94.0.10 tcp/443: **reachable** via `{gw['dynamodb']}` (`pl-02cd2c6b`).
3. {lam_ip['private-a']} → secretsmanager.us-east-1.amazonaws.com: private DNS resolves to the endpoint ENIs; to the ENI of
   its own AZ {eip[('secretsmanager', 'private-a')]} tcp/443: **reachable** (local route; SG `{n(F2['sg_ep'])}` allows 443 from
   the app SG). Likewise {lam_ip['private-b']} → {eip[('secretsmanager', 'private-b')]}, and sqs {eip[('sqs', 'private-a')]} /
   {eip[('sqs', 'private-b')]}. Cross-AZ ENIs are reachable too (same VPC).
4. {lam_ip['private-a']} → {eip[('secretsmanager', 'private-a')]} tcp/80: **not reachable** (endpoint SG allows only 443).
5. {lam_ip['private-a']} → 8.8.8.8 (any port) or any public IP outside the two prefix lists (e.g. 52.218.0.1, just past
   52.216.0.0/15): **not reachable** — no route (no IGW/NAT).
6. New connections *to* the Lambda ENIs, e.g. {eip[('secretsmanager', 'private-a')]} → {lam_ip['private-a']} tcp/443:
   **not reachable** (app SG has no inbound rule).

### peered (VPC A `{v3['a']}` 10.2.0.0/16, B `{v3['b']}` 10.3.0.0/16, C `{v3['c']}` 10.4.0.0/16)

Ids: subnets A `{sub3['a']}` 10.2.1.0/24, B `{sub3['b']}` 10.3.1.0/24, C `{sub3['c']}` 10.4.1.0/24; peerings A–B
`{pcx['ab']}` (A requester), B–C `{pcx['bc']}` (B requester), both active; route tables A `{rt3['a']}` (10.3.0.0/16 →
`{pcx['ab']}`), B `{rt3['b']}` (10.2.0.0/16 → `{pcx['ab']}`, 10.4.0.0/16 → `{pcx['bc']}`), C `{rt3['c']}` (10.3.0.0/16 →
`{pcx['bc']}`); instances A `{in3['a']}` {ip3['a']} (SG `{sg3['a']}`: in tcp/8080 from B's group `{sg3['b']}` via
`{pcx['ab']}`), B `{in3['b']}` {ip3['b']} (SG `{sg3['b']}`: in tcp/5432 from 10.2.0.0/16, tcp/5432 from C's group `{sg3['c']}`
via `{pcx['bc']}`), C `{in3['c']}` {ip3['c']} (SG `{sg3['c']}`: in tcp/22 from 10.2.0.0/16 and 10.3.0.0/16). All SGs out all;
default NACLs.

1. {ip3['a']} → {ip3['b']} tcp/5432: **reachable** via `{pcx['ab']}` (CIDR rule).
2. {ip3['a']} → {ip3['b']} tcp/22: **not reachable** (SG).
3. {ip3['c']} → {ip3['b']} tcp/5432: **reachable** via `{pcx['bc']}` (rule references C's group across the peering).
4. {ip3['b']} → {ip3['a']} tcp/8080: **reachable** (A's rule references B's group); {ip3['b']} → {ip3['a']} tcp/22: **not reachable**.
5. {ip3['b']} → {ip3['c']} tcp/22: **reachable** via `{pcx['bc']}`.
6. {ip3['a']} → {ip3['c']} tcp/22: **not reachable** even though C's SG allows 10.2.0.0/16 — A has no route to 10.4.0.0/16
   and peering is not transitive (traffic is never forwarded A → B → C). Same for {ip3['c']} → {ip3['a']}.
7. Any host → 8.8.8.8: **not reachable** (no IGW/NAT in any VPC).
"""


if __name__ == "__main__":
    sys.exit(main())
