module example.com/logparse

go 1.19
