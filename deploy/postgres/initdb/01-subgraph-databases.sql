-- One database per subgraph: no subgraph reads another's tables.
-- Run once by the postgres image when its data volume is first initialised.
CREATE DATABASE orders;
CREATE DATABASE inventory;
CREATE DATABASE payments;
CREATE DATABASE shipments;
