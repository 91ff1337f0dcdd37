#!/usr/bin/env python3
"""A larger synthetic network for timing `vpcsim matrix` (docs/matrix.md, "How fast"): N services in 3 AZs, per-service
security groups with chained port rules, restrictive data-tier ACLs, NAT per AZ, endpoints, an ALB.

Usage: Scripts/gen-matrix-network.py [N=40] > big.yaml"""
import sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
azs = "abc"
out = []
w = out.append
w("vpcs:\n  - name: big\n    region: us-east-1\n    cidr: 10.0.0.0/16\n    internet_gateway: IGW\n    subnets:")
for i, az in enumerate(azs):
    w(f"      - {{name: public-{az}, cidr: 10.0.{101+i}.0/24, az: us-east-1{az}, route_table: public}}")
    w(f"      - {{name: app-{az}, cidr: 10.0.{1+i}.0/24, az: us-east-1{az}, route_table: private-{az}}}")
    w(f"      - {{name: data-{az}, cidr: 10.0.{11+i}.0/24, az: us-east-1{az}, route_table: private-{az}}}")
w("    route_tables:\n      - name: public\n        routes: [{destination: 0.0.0.0/0, target: IGW}]")
for az in azs:
    w(f"      - name: private-{az}\n        routes: [{{destination: 0.0.0.0/0, target: NAT-{az}}}, {{destination: 172.16.0.0/12, target: blackhole}}]")
w("    nat_gateways:")
for az in azs: w(f"      - {{name: NAT-{az}, subnet: public-{az}}}")
w("    network_acls:\n      - name: data-acl\n        subnets: [data-a, data-b, data-c]\n        ingress:")
rule = 100
for port in ["5432", "6379", "9200", "27017", "1024-65535"]:
    w(f"          - {{rule: {rule}, action: allow, protocol: tcp, ports: {port}, cidr: 10.0.0.0/16}}"); rule += 10
w(f"          - {{rule: {rule}, action: deny, protocol: udp, ports: 0-65535, cidr: 10.0.0.0/16}}")
w("        egress:")
w("          - {rule: 100, action: allow, protocol: tcp, ports: 1024-65535, cidr: 10.0.0.0/16}")
w("          - {rule: 110, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}")
w("          - {rule: 120, action: allow, protocol: tcp, ports: 32768-60999, cidr: 0.0.0.0/0}")
w("    security_groups:\n      - name: alb\n        ingress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}, {protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]")
w("      - name: endpoints\n        ingress: [{protocol: tcp, ports: 443, cidr: 10.0.0.0/16}]")
for k in range(n):
    ing = [f"{{protocol: tcp, ports: {8000+k}, security_group: svc{(k-1)%n}}}",
           f"{{protocol: tcp, ports: {9000+k}-{9010+k}, cidr: 10.0.{1+k%3}.0/24}}",
           "{protocol: tcp, ports: 22, cidr: 10.0.0.0/16}",
           f"{{protocol: udp, ports: {5000+k}, security_group: svc{(k+1)%n}}}"]
    if k % 4 == 0: ing.append(f"{{protocol: tcp, ports: {8000+k}, security_group: alb}}")
    if k % 5 == 0: ing.append("{protocol: icmp, cidr: 10.0.0.0/16}")
    eg = [f"{{protocol: tcp, ports: 8000-8999, cidr: 10.0.0.0/16}}", "{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}",
          f"{{protocol: udp, ports: 5000-5999, cidr: 10.0.0.0/16}}"]
    if k % 3 == 0: eg.append("{protocol: all, cidr: 0.0.0.0/0}")
    w(f"      - name: svc{k}\n        ingress: [{', '.join(ing)}]\n        egress: [{', '.join(eg)}]")
w("    endpoints:\n      - {name: s3, type: gateway, service: s3, route_tables: [private-a, private-b, private-c]}")
for s in ["secretsmanager", "sqs", "logs"]:
    w(f"      - {{name: {s}, type: interface, service: {s}, subnets: [app-a, app-b, app-c], security_groups: [endpoints], private_dns: true}}")
w("    workloads:")
for k in range(n):
    tier = "data" if k % 5 == 4 else "app"
    w(f"      - {{name: svc{k}, kind: {'rds' if tier == 'data' else 'ecs'}, subnets: [{tier}-a, {tier}-b, {tier}-c], security_groups: [svc{k}], public_ip: false}}")
w("    target_groups:")
for k in range(0, n, 4):
    w(f"      - {{name: tg{k}, protocol: HTTP, port: {8000+k}, targets: [svc{k}]}}")
w("    load_balancers:\n      - name: ALB\n        type: application\n        scheme: internet-facing\n        subnets: [public-a, public-b, public-c]\n        security_groups: [alb]\n        listeners:")
for k in range(0, min(n, 12), 4):
    w(f"          - {{protocol: HTTPS, port: {443 + k}, target_group: tg{k}}}")
print("\n".join(out))
