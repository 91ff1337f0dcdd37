/// VPCCapture turns simulated flows into packets, pcap/pcapng files and VPC Flow Logs.
public enum VPCCapture {}
